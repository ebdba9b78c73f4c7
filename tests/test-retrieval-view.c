/* test-retrieval-view.c: the retrieval view, driven in-process under Xvfb.
 *
 * The test needs a display (the test script starts Xvfb): without one it
 * fails rather than skips.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "cw-codebook.h"
#include "cw-retrieval-view-private.h"
#include "cw-test-util.h"
#include "cw-test-gui.h"

/* The shared GUI helpers under this file's old names. */
#define wait_until cw_test_wait_until
#define wait_ms cw_test_wait_ms
#define save_screenshot cw_test_save_screenshot
#define TIMEOUT_MS CW_TEST_TIMEOUT_MS
typedef CwTestCondition Condition;




/* Runs the main loop until condition holds; FALSE on timeout. */


static gboolean
view_idle (gpointer data)
{
  return !_cw_retrieval_view_is_busy (data);
}

static void
wait_idle (CwRetrievalView *view)
{
  g_assert_true (wait_until (view_idle, view));
}


/* Renders the widget as it is on screen into DIR/name. */

/* A project with three transcripts, four codes and codings by two coders */

static const struct
{
  const char *name;
  const char *text;
} transcripts[] = {
  { "interview-kevin.txt",
    "Interview met Kevin, 12 maart\n"
    "[00:00:05] Interviewer: Hoe gaat het nu met je werk?\n"
    "[00:00:12] Kevin: Goed. Ik werk sinds maart bij de bakkerij, met een jobcoach erbij.\n"
    "[00:01:02] Interviewer: En je opleiding? Heb je die afgemaakt?\n"
    "[00:01:30] Kevin: Ja, met hulp van mijn mentor. Het werk is zwaar maar leuk. Mijn mentor "
    "belde elke week met de bakker, en als er iets misging kwam ze langs om het samen op te lossen.\n" },
  { "focusgroep-ouders.txt",
    "[00:00:01] Gespreksleider: Welkom allemaal.\n"
    "[00:00:09] Moeder van Kevin: Voor ons was de jobcoach het belangrijkste.\n" },
  { "arenagesprek-de-brug.txt",
    "Gespreksleider: Wie wil beginnen?\n"
    "Sanne: Ik. Na de stage mocht ik blijven.\n" },
};

typedef struct
{
  char      *dir;
  CwProject *project;
  GArray    *documents;
  gint64     jobcoach, baan, werk, opleiding, begeleiding;
  gint64     kevin_jobcoach_start, kevin_jobcoach_end;
} Fixture;

/* Codes the first occurrence of needle in the document. */
static gint64
code_text (Fixture    *fixture,
           guint       document,
           const char *needle,
           gint64      code_id,
           const char *coder,
           gint64     *start_out,
           gint64     *end_out)
{
  gint64 id = g_array_index (fixture->documents, gint64, document);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cw_project_get_text (fixture->project, id, &error);
  const char *found;
  gint64 start, end, coding;

  g_assert_no_error (error);
  found = strstr (text, needle);
  g_assert_nonnull (found);
  start = g_utf8_pointer_to_offset (text, found);
  end = start + g_utf8_strlen (needle, -1);
  coding = cw_project_add_coding (fixture->project, id, code_id, start, end, coder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coding, >, 0);
  if (start_out != NULL)
    *start_out = start;
  if (end_out != NULL)
    *end_out = end;
  return coding;
}

static gint64
add_code (Fixture    *fixture,
          const char *path,
          const char *color)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_code (fixture->project, path, color, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  fixture->dir = cw_test_make_dir ();
  for (guint i = 0; i < G_N_ELEMENTS (transcripts); i++)
    g_ptr_array_add (files, cw_test_write_file (fixture->dir, transcripts[i].name, transcripts[i].text));
  fixture->project = cw_test_new_project (fixture->dir);
  fixture->documents = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->documents->len, ==, G_N_ELEMENTS (transcripts));

  fixture->jobcoach = add_code (fixture, "Werk/Jobcoach", "#3584e4");
  fixture->baan = add_code (fixture, "Werk/Baan", "#33d17a");
  fixture->werk = cw_project_lookup_code (fixture->project, "Werk", &error);
  g_assert_no_error (error);
  fixture->opleiding = add_code (fixture, "Opleiding", "#f6d32d");
  fixture->begeleiding = add_code (fixture, "Begeleiding", "#e66100");

  /* Anouk */
  code_text (fixture, 0, "jobcoach", fixture->jobcoach, "Anouk",
             &fixture->kevin_jobcoach_start, &fixture->kevin_jobcoach_end);
  code_text (fixture, 1, "jobcoach", fixture->jobcoach, "Anouk", NULL, NULL);
  code_text (fixture, 0, "Ik werk sinds maart bij de bakkerij", fixture->baan, "Anouk", NULL, NULL);
  /* Bram */
  code_text (fixture, 0, "Ja, met hulp van mijn mentor", fixture->opleiding, "Bram", NULL, NULL);
  code_text (fixture, 0, "met een jobcoach erbij", fixture->begeleiding, "Bram", NULL, NULL);
  code_text (fixture, 0, "Mijn mentor belde elke week met de bakker", fixture->begeleiding, "Bram", NULL, NULL);
  code_text (fixture, 2, "Na de stage mocht ik blijven.", fixture->baan, "Bram", NULL, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->project);
  g_array_unref (fixture->documents);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* Helpers over the view */

typedef struct
{
  guint  count;
  gint64 document_id;
  gint64 start;
  gint64 end;
} Activated;

static void
segment_activated_cb (CwRetrievalView *view,
                      gint64           document_id,
                      gint64           start,
                      gint64           end,
                      Activated       *activated)
{
  activated->count++;
  activated->document_id = document_id;
  activated->start = start;
  activated->end = end;
}

static void
message_cb (CwRetrievalView *view,
            const char      *text,
            guint           *count)
{
  g_assert_nonnull (text);
  (*count)++;
}

static const CwCoding *
segment_at (CwRetrievalView *view,
            guint            position)
{
  g_autoptr(CwSegmentItem) item = g_list_model_get_item (_cw_retrieval_view_get_segments (view), position);

  g_assert_nonnull (item);
  /* The model holds the item: the pointer stays valid. */
  return _cw_segment_item_get_segment (item);
}

static guint
n_segments (CwRetrievalView *view)
{
  return g_list_model_get_n_items (_cw_retrieval_view_get_segments (view));
}

static void
choose_codes (CwRetrievalView *view,
              const gint64    *ids,
              guint            n)
{
  cw_retrieval_view_set_codes (view, ids, n);
  wait_idle (view);
}

static void
select_string (GtkDropDown *dropdown,
               const char  *string)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), string) == 0)
      {
        gtk_drop_down_set_selected (dropdown, i);
        return;
      }
  g_assert_not_reached ();
}

static GtkWindow *
new_window (CwRetrievalView *view)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_title (window, "Retrieval");
  gtk_window_set_default_size (window, 1000, 640);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  /* A hidden view does not retrieve. */
  g_assert_true (wait_until ((Condition) gtk_widget_get_mapped, view));
  return window;
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
destroy_window (GtkWindow       *window,
                CwRetrievalView *view)
{
  gpointer weak_window = window;
  gpointer weak_view = view;

  wait_idle (view);
  g_object_add_weak_pointer (G_OBJECT (window), &weak_window);
  g_object_add_weak_pointer (G_OBJECT (view), &weak_view);
  gtk_window_destroy (window);
  g_assert_true (wait_until (window_gone, &weak_window));
  /* The view holds no reference cycle (workers done, signals gone). */
  g_assert_true (wait_until (window_gone, &weak_view));
}

/* Tests */

static void
test_retrieve (Fixture       *fixture,
               gconstpointer  data)
{
  CwRetrievalView *view = cw_retrieval_view_new ();
  GtkWindow *window = new_window (view);
  Activated activated = { 0 };
  gint64 kevin = g_array_index (fixture->documents, gint64, 0);
  gint64 ouders = g_array_index (fixture->documents, gint64, 1);
  const CwCoding *segment;

  g_signal_connect (view, "segment-activated", G_CALLBACK (segment_activated_cb), &activated);
  cw_retrieval_view_set_project (view, fixture->project);
  wait_idle (view);

  /* No code chosen: every segment. */
  g_assert_cmpuint (n_segments (view), ==, 7);
  g_assert_cmpstr (_cw_retrieval_view_get_count_text (view), ==, "7 segments in 3 documents");

  /* One code: its segments, by document then start, with context. */
  choose_codes (view, &fixture->jobcoach, 1);
  g_assert_cmpuint (n_segments (view), ==, 2);
  g_assert_cmpstr (_cw_retrieval_view_get_count_text (view), ==, "2 segments in 2 documents");
  segment = segment_at (view, 0);
  g_assert_cmpint (segment->document_id, ==, kevin);
  g_assert_cmpstr (segment->text, ==, "jobcoach");
  g_assert_cmpstr (segment->coder, ==, "Anouk");
  g_assert_cmpstr (segment->speaker, ==, "Kevin");
  g_assert_cmpstr (segment->code, ==, "Werk/Jobcoach");
  {
    g_autoptr(CwSegmentItem) item = g_list_model_get_item (_cw_retrieval_view_get_segments (view), 0);

    /* Context stays inside Kevin's turn: no timestamp or label. */
    g_assert_cmpstr (_cw_segment_item_get_before (item), ==, "Goed. Ik werk sinds maart bij de bakkerij, met een ");
    g_assert_cmpstr (_cw_segment_item_get_after (item), ==, " erbij.");
  }
  g_assert_cmpint (segment_at (view, 1)->document_id, ==, ouders);

  /* Clicking a row asks for its document at its place. */
  g_signal_emit_by_name (_cw_retrieval_view_get_list_view (view), "activate", 0);
  g_assert_cmpuint (activated.count, ==, 1);
  g_assert_cmpint (activated.document_id, ==, kevin);
  g_assert_cmpint (activated.start, ==, fixture->kevin_jobcoach_start);
  g_assert_cmpint (activated.end, ==, fixture->kevin_jobcoach_end);
  g_signal_emit_by_name (_cw_retrieval_view_get_list_view (view), "activate", 1);
  g_assert_cmpuint (activated.count, ==, 2);
  g_assert_cmpint (activated.document_id, ==, ouders);

  /* A parent code stands for its subcodes, unless asked otherwise. */
  choose_codes (view, &fixture->werk, 1);
  g_assert_true (gtk_switch_get_active (_cw_retrieval_view_get_subcodes_switch (view)));
  g_assert_cmpuint (n_segments (view), ==, 4);
  g_assert_cmpstr (_cw_retrieval_view_get_count_text (view), ==, "4 segments in 3 documents");
  gtk_switch_set_active (_cw_retrieval_view_get_subcodes_switch (view), FALSE);
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 0);
  g_assert_cmpstr (_cw_retrieval_view_get_count_text (view), ==, "0 segments");
  gtk_switch_set_active (_cw_retrieval_view_get_subcodes_switch (view), TRUE);
  wait_idle (view);

  destroy_window (window, view);
}

static void
test_combine (Fixture       *fixture,
              gconstpointer  data)
{
  CwRetrievalView *view = cw_retrieval_view_new ();
  GtkWindow *window = new_window (view);
  GtkDropDown *combine = _cw_retrieval_view_get_combine_dropdown (view);
  const gint64 codes[] = { fixture->jobcoach, fixture->begeleiding };
  const CwCoding *segment;

  cw_retrieval_view_set_project (view, fixture->project);
  wait_idle (view);

  /* One code: nothing to combine. */
  choose_codes (view, codes, 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (combine)));

  /* OR: every segment of either code. */
  choose_codes (view, codes, 2);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (combine)));
  g_assert_cmpuint (gtk_drop_down_get_selected (combine), ==, 0);
  g_assert_cmpuint (n_segments (view), ==, 4);

  /* AND: where both overlap, the overlap itself. */
  gtk_drop_down_set_selected (combine, 1);
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 1);
  g_assert_cmpstr (_cw_retrieval_view_get_count_text (view), ==, "1 segment in 1 document");
  segment = segment_at (view, 0);
  g_assert_cmpstr (segment->code, ==, "Werk/Jobcoach & Begeleiding");
  g_assert_cmpstr (segment->text, ==, "jobcoach");
  g_assert_cmpint (segment->start, ==, fixture->kevin_jobcoach_start);
  g_assert_cmpint (segment->end, ==, fixture->kevin_jobcoach_end);
  {
    g_autofree char *words = _cw_retrieval_view_describe_query (view);

    g_assert_nonnull (strstr (words, "Werk/Jobcoach, Begeleiding"));
    g_assert_nonnull (strstr (words, "All overlapping (AND)"));
  }

  /* NOT: the first code's segments that overlap none of the others. */
  gtk_drop_down_set_selected (combine, 2);
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 1);
  segment = segment_at (view, 0);
  g_assert_cmpint (segment->document_id, ==, g_array_index (fixture->documents, gint64, 1));
  g_assert_cmpstr (segment->text, ==, "jobcoach");

  /* A change while a retrieval runs cancels it: only the last choice
   * shows, never a stale result arriving late. */
  cw_retrieval_view_set_codes (view, &fixture->baan, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  cw_retrieval_view_set_codes (view, &fixture->opleiding, 1);
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 1);
  g_assert_cmpstr (segment_at (view, 0)->code, ==, "Opleiding");
  wait_ms (100);
  g_assert_cmpuint (n_segments (view), ==, 1);
  g_assert_cmpstr (segment_at (view, 0)->code, ==, "Opleiding");
  choose_codes (view, codes, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (combine), ==, 2);

  /* The code chooser shows the choice. */
  g_assert_true (gtk_check_button_get_active (_cw_retrieval_view_get_code_check (view, fixture->jobcoach)));
  g_assert_true (gtk_check_button_get_active (_cw_retrieval_view_get_code_check (view, fixture->begeleiding)));
  g_assert_false (gtk_check_button_get_active (_cw_retrieval_view_get_code_check (view, fixture->opleiding)));
  /* Unticking one leaves one code: back to its own segments. */
  gtk_check_button_set_active (_cw_retrieval_view_get_code_check (view, fixture->begeleiding), FALSE);
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 2);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (combine)));

  destroy_window (window, view);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  CwRetrievalView *view = cw_retrieval_view_new ();
  GtkWindow *window = new_window (view);
  g_autoptr(GError) error = NULL;

  cw_retrieval_view_set_project (view, fixture->project);
  wait_idle (view);

  select_string (_cw_retrieval_view_get_coder_dropdown (view), "Bram");
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 4);
  for (guint i = 0; i < n_segments (view); i++)
    g_assert_cmpstr (segment_at (view, i)->coder, ==, "Bram");

  select_string (_cw_retrieval_view_get_speaker_dropdown (view), "Kevin");
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 3);
  for (guint i = 0; i < n_segments (view); i++)
    g_assert_cmpstr (segment_at (view, i)->speaker, ==, "Kevin");

  select_string (_cw_retrieval_view_get_coder_dropdown (view), "Any coder");
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 5);

  /* By kind: the arena conversation has one segment. */
  select_string (_cw_retrieval_view_get_speaker_dropdown (view), "Any speaker");
  select_string (_cw_retrieval_view_get_kind_dropdown (view), "Arena conversations");
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 1);
  g_assert_cmpstr (segment_at (view, 0)->text, ==, "Na de stage mocht ik blijven.");
  select_string (_cw_retrieval_view_get_kind_dropdown (view), "Any kind");
  wait_idle (view);

  /* An edit elsewhere (the transcript, the codebook) shows up here. */
  g_assert_cmpuint (n_segments (view), ==, 7);
  code_text (fixture, 1, "Welkom allemaal", fixture->opleiding, "Carla", NULL, NULL);
  wait_ms (50);
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 8);
  /* The new coder is offered. */
  select_string (_cw_retrieval_view_get_coder_dropdown (view), "Carla");
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 1);

  /* A deleted code drops out of the choice. */
  choose_codes (view, &fixture->opleiding, 1);
  g_assert_cmpuint (n_segments (view), ==, 1);
  g_assert_true (cw_project_delete_code (fixture->project, fixture->opleiding, &error));
  g_assert_no_error (error);
  wait_ms (50);
  wait_idle (view);
  g_assert_null (_cw_retrieval_view_get_code_check (view, fixture->opleiding));
  g_assert_cmpuint (n_segments (view), ==, 0);

  destroy_window (window, view);
}

/* Hidden, the view does not retrieve on every edit; shown, it catches up. */
static void
test_hidden (Fixture       *fixture,
             gconstpointer  data)
{
  CwRetrievalView *view = cw_retrieval_view_new ();
  GtkWindow *window = new_window (view);

  cw_retrieval_view_set_project (view, fixture->project);
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 7);

  gtk_widget_set_visible (GTK_WIDGET (view), FALSE);
  code_text (fixture, 1, "Welkom allemaal", fixture->opleiding, "Carla", NULL, NULL);
  wait_ms (50);
  g_assert_false (_cw_retrieval_view_is_busy (view));
  g_assert_cmpuint (n_segments (view), ==, 7);

  gtk_widget_set_visible (GTK_WIDGET (view), TRUE);
  g_assert_true (wait_until ((Condition) gtk_widget_get_mapped, view));
  wait_idle (view);
  g_assert_cmpuint (n_segments (view), ==, 8);
  g_assert_cmpstr (_cw_retrieval_view_get_count_text (view), ==, "8 segments in 3 documents");

  destroy_window (window, view);
}

static gboolean
count_shown (gpointer data)
{
  return g_str_has_prefix (_cw_retrieval_view_get_count_text (data), "67 ");
}

/* A large result fills the list in batches, so that the window keeps
 * drawing: the count is there at once, every row arrives in order, and
 * what is read meanwhile (an export, a test) gets every row. */
static void
test_many (Fixture       *fixture,
           gconstpointer  data)
{
  CwRetrievalView *view = cw_retrieval_view_new ();
  GtkWindow *window = new_window (view);
  GListModel *shown;
  g_autoptr(GError) error = NULL;
  gint64 kevin = g_array_index (fixture->documents, gint64, 0);
  gint64 last_start = -1;

  /* 60 more codings: 67 in all, most on Kevin's interview. */
  for (int i = 0; i < 60; i++)
    g_assert_cmpint (cw_project_add_coding (fixture->project, kevin, fixture->werk, 40 + i, 48 + i, "Anouk",
                                            NULL, &error), >, 0);
  g_assert_no_error (error);

  cw_retrieval_view_set_project (view, fixture->project);
  g_assert_true (wait_until (count_shown, view));
  g_assert_cmpstr (_cw_retrieval_view_get_count_text (view), ==, "67 segments in 3 documents");
  /* What the list shows fills up, to every segment. */
  shown = G_LIST_MODEL (gtk_list_view_get_model (_cw_retrieval_view_get_list_view (view)));
  g_assert_cmpuint (g_list_model_get_n_items (shown), <, 67);
  wait_idle (view);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 67);
  for (guint i = 0; i < 67; i++)
    {
      const CwCoding *segment = segment_at (view, i);

      if (segment->document_id == kevin)
        {
          g_assert_cmpint (segment->start, >=, last_start);
          last_start = segment->start;
        }
    }

  /* Asked for before the rows are all in, the segments are all there. */
  choose_codes (view, &fixture->werk, 1);
  g_assert_false (count_shown (view));
  cw_retrieval_view_set_codes (view, NULL, 0);
  g_assert_true (wait_until (count_shown, view));
  g_assert_cmpuint (n_segments (view), ==, 67);

  destroy_window (window, view);
}

static gboolean
has_message (gpointer data)
{
  return view_idle (data) && _cw_retrieval_view_get_last_message (data) != NULL;
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  CwRetrievalView *view = cw_retrieval_view_new ();
  GtkWindow *window = new_window (view);
  g_autoptr(GFile) csv = g_file_new_build_filename (fixture->dir, "segmenten.csv", NULL);
  g_autoptr(GFile) odt = g_file_new_build_filename (fixture->dir, "rapport.odt", NULL);
  g_autoptr(GFile) nowhere = g_file_new_build_filename (fixture->dir, "weg", "segmenten.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint messages = 0;
  gsize length = 0;

  g_signal_connect (view, "message", G_CALLBACK (message_cb), &messages);
  cw_retrieval_view_set_project (view, fixture->project);
  choose_codes (view, &fixture->jobcoach, 1);
  g_assert_cmpuint (n_segments (view), ==, 2);

  _cw_retrieval_view_export_csv (view, csv);
  g_assert_true (wait_until (has_message, view));
  g_assert_cmpuint (messages, ==, 1);
  g_assert_cmpstr (_cw_retrieval_view_get_last_message (view), ==, "Exported 2 segments to “segmenten.csv”");
  g_assert_true (g_file_load_contents (csv, NULL, &contents, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "document;code;coder;speaker;start;end;text;memo\r\n"));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* header, two rows, "" after the last CRLF */
  g_assert_true (g_str_has_prefix (lines[1], "\"interview-kevin.txt\";\"Werk/Jobcoach\";\"Anouk\";\"Kevin\";"));
  g_assert_true (g_str_has_suffix (lines[1], ";\"jobcoach\";\"\""));
  g_clear_pointer (&contents, g_free);

  _cw_retrieval_view_export_report (view, odt);
  g_assert_true (wait_until (view_idle, view));
  g_assert_cmpuint (messages, ==, 2);
  g_assert_true (g_file_load_contents (odt, NULL, &contents, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 38);
  g_assert_cmpmem (contents + 30, 8, "mimetype", 8);

  /* A failure is told, not hidden. */
  _cw_retrieval_view_export_csv (view, nowhere);
  g_assert_true (wait_until (view_idle, view));
  g_assert_cmpuint (messages, ==, 3);
  g_assert_true (g_str_has_prefix (_cw_retrieval_view_get_last_message (view), "Could not export to “segmenten.csv”"));

  destroy_window (window, view);
}

static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  data)
{
  CwRetrievalView *view = cw_retrieval_view_new ();
  GtkWindow *window = new_window (view);
  const gint64 codes[] = { fixture->werk, fixture->begeleiding, fixture->opleiding };

  gtk_window_set_default_size (window, 1100, 720);
  cw_retrieval_view_set_project (view, fixture->project);
  choose_codes (view, codes, G_N_ELEMENTS (codes));
  g_assert_cmpuint (n_segments (view), ==, 7);
  save_screenshot (GTK_WIDGET (window), "retrieval.png");

  /* The code chooser: the codebook as a tree of check buttons. */
  {
    GtkMenuButton *button = _cw_retrieval_view_get_codes_button (view);
    GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (button));

    gtk_menu_button_popup (button);
    g_assert_true (wait_until ((Condition) gtk_widget_get_mapped, popover));
    save_screenshot (popover, "retrieval-codes.png");
    gtk_menu_button_popdown (button);
  }

  destroy_window (window, view);
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/retrieval-view/retrieve", Fixture, NULL, fixture_set_up, test_retrieve, fixture_tear_down);
  g_test_add ("/retrieval-view/combine", Fixture, NULL, fixture_set_up, test_combine, fixture_tear_down);
  g_test_add ("/retrieval-view/filters", Fixture, NULL, fixture_set_up, test_filters, fixture_tear_down);
  g_test_add ("/retrieval-view/hidden", Fixture, NULL, fixture_set_up, test_hidden, fixture_tear_down);
  g_test_add ("/retrieval-view/many", Fixture, NULL, fixture_set_up, test_many, fixture_tear_down);
  g_test_add ("/retrieval-view/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/retrieval-view/screenshot", Fixture, NULL, fixture_set_up, test_screenshot, fixture_tear_down);

  return g_test_run ();
}
