/* cw-bench-window: the window's figures. Needs a display (Xvfb).
 *
 *   cw-bench-window PROJECT [DOC_ID] [--runs N] [--mode MODE] [--samples N] [--json]
 *
 * DOC_ID 0 or none: the largest document (the first of the largest, where
 * cw-bench-coding puts 2,000 codings). Modes:
 *   open     (default) switching from another document to DOC_ID, through
 *            the document list's signal as a click does, until the first
 *            frame painted with it and its codings; median and p95.
 *   startup  from the exec of this process (CW_BENCH_SPAWN_US: the
 *            spawner's CLOCK_MONOTONIC in microseconds, else from main) to
 *            the first frame painted of a window with PROJECT open, the
 *            calls the application makes (open the project, set it on a new
 *            window, present); then on to the first document drawn. RSS at
 *            the first frame. The backup the application makes on opening
 *            (a worker, after the first frame) is left out: it would write
 *            a copy beside PROJECT on every run.
 *   repaint  one coding at a time on the open document, as the window
 *            applies a code: the time from the project's "changed" (the
 *            durable commit done) to the next frame painted, p95 over
 *            --samples codings; also from the call to that frame.
 *   stall    the longest gap between frame-clock ticks (a tick callback
 *            keeps the clock running) while the window opens PROJECT, opens
 *            the document, searches all documents as one types and
 *            retrieves one code; then the RSS with the project open.
 * With --json one JSON line is printed ("ms" is the mode's figure), else a
 * Markdown table row. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <adwaita.h>

#include "cw-application.h"
#include "cw-coding.h"
#include "cw-project-private.h"
#include "cw-retrieval-view-private.h"
#include "cw-transcript-view-private.h"
#include "cw-window-private.h"
#include "cw-bench-rss.h"

/* Frames painted so far, and the time of the last one. */
static guint   paints;
static gint64  last_paint;
/* Frame-clock ticks: the longest gap since the last reset. */
static gint64  last_tick;
static gint64  longest_gap;
static gint64  changed_at;

/* With CW_BENCH_GAPS: where a long frame went (our handlers run after
 * GTK's own on each phase of the frame clock). */
static gint64  phase_update_end;
static gint64  phase_layout_end;
static gint64  phase_paint_end;

static void
phase_mark (GdkFrameClock *clock,
            gpointer       data)
{
  *(gint64 *) data = g_get_monotonic_time ();
}

static void
after_paint (GdkFrameClock *clock,
             gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (g_getenv ("CW_BENCH_GAPS") != NULL && phase_update_end != 0 && now - phase_update_end > 15000)
    g_printerr ("frame %.6f: before it %.1f ms (since the last frame), layout %.1f ms, paint %.1f ms\n",
                phase_update_end / 1e6, (phase_update_end - last_paint) / 1000.0,
                (phase_layout_end - phase_update_end) / 1000.0, (phase_paint_end - phase_layout_end) / 1000.0);
  paints++;
  last_paint = now;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    longest_gap = MAX (longest_gap, now - last_tick);
  /* For matching a profile (perf record -k CLOCK_MONOTONIC) to the stalls. */
  if (last_tick != 0 && now - last_tick > 20000 && g_getenv ("CW_BENCH_GAPS") != NULL)
    g_printerr ("gap %.6f %.6f %.1f ms\n", last_tick / 1e6, now / 1e6, (now - last_tick) / 1000.0);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
project_changed (CwProject *project,
                 gpointer   data)
{
  changed_at = g_get_monotonic_time ();
}

static void
fail (const char *what)
{
  g_printerr ("cw-bench-window: %s\n", what);
  exit (1);
}

/* Runs the main loop until *flag is TRUE or timeout_ms passed (then fails
 * naming what). */
static gboolean
timeout_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_paint_after (guint       count,
                      const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (paints <= count)
    {
      g_main_context_iteration (NULL, FALSE);
      if (paints <= count)
        {
          if (g_get_monotonic_time () > deadline)
            fail (what);
          g_main_context_iteration (NULL, TRUE);
        }
    }
}

static void
iterate_until_shown (CwTranscriptView *view,
                     gint64            id)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (cw_transcript_view_get_document_id (view) != id)
    {
      if (g_get_monotonic_time () > deadline)
        fail ("the document was not shown within 60 s");
      g_main_context_iteration (NULL, TRUE);
    }
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

/* ru_maxrss, MiB: the peak. */
static double
peak_rss_mib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

static gint64
largest_document (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = cw_project_list_documents (project, &error);
  const CwDocumentInfo *largest = NULL;

  if (documents == NULL || documents->len == 0)
    fail ("the project has no documents");
  for (guint i = 0; i < documents->len; i++)
    if (largest == NULL || ((CwDocumentInfo *) documents->pdata[i])->characters > largest->characters)
      largest = documents->pdata[i];
  return largest->id;
}

static gint64
other_document (CwProject *project,
                gint64     target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = cw_project_list_documents (project, &error);

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    if (((CwDocumentInfo *) documents->pdata[i])->id != target)
      return ((CwDocumentInfo *) documents->pdata[i])->id;
  fail ("the open mode needs two documents");
  return 0;
}

static gint64
busiest_code (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (project, "SELECT code_id FROM codings GROUP BY code_id ORDER BY count(*) DESC, code_id LIMIT 1",
                         &error);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    fail ("the project has no codings");
  return sqlite3_column_int64 (stmt, 0);
}

static CwWindow *
new_window (void)
{
  CwWindow *window = cw_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  return window;
}

static void
connect_paints (CwWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  if (clock == NULL)
    fail ("the window has no frame clock");
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), NULL);
  g_signal_connect (clock, "update", G_CALLBACK (phase_mark), &phase_update_end);
  g_signal_connect (clock, "layout", G_CALLBACK (phase_mark), &phase_layout_end);
  g_signal_connect (clock, "paint", G_CALLBACK (phase_mark), &phase_paint_end);
}

static void
show_document (CwWindow *window,
               gint64    id)
{
  guint before = paints;

  g_signal_emit_by_name (_cw_window_get_document_list (window), "document-selected", id);
  iterate_until_shown (_cw_window_get_transcript_view (window), id);
  wait_for_paint_after (before, "no frame after the document was shown");
}

static void
mode_open (const char *path,
           gint64      target,
           int         runs,
           gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (path, &error);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  CwWindow *window;
  CwTranscriptView *view;
  gint64 other;
  guint n_codings = 0;

  if (project == NULL)
    fail (error->message);
  if (target <= 0)
    target = largest_document (project);
  other = other_document (project, target);

  window = new_window ();
  gtk_window_present (GTK_WINDOW (window));
  cw_window_set_project (window, project);
  view = _cw_window_get_transcript_view (window);
  connect_paints (window);

  for (int run = 0; run < runs + 1; run++)
    {
      gint64 t0;
      double ms;

      /* Away to the other document first, settled and drawn. */
      show_document (window, other);

      t0 = g_get_monotonic_time ();
      show_document (window, target);
      ms = (last_paint - t0) / 1000.0;
      n_codings = cw_transcript_view_get_codings (view)->len;
      if (run > 0) /* the first warms the caches */
        g_array_append_val (times, ms);
    }

  if (json)
    g_print ("{\"job\":\"open-document\",\"document\":%" G_GINT64_FORMAT ",\"codings\":%u,\"runs\":%d,"
             "\"ms\":%.2f,\"p95_ms\":%.2f,\"best_ms\":%.2f}\n",
             target, n_codings, runs, percentile (times, 0.5), percentile (times, 0.95), percentile (times, 0));
  else
    g_print ("| open a document with %u codings until drawn (%d runs) | %.1f | %.1f |\n",
             n_codings, runs, percentile (times, 0.5), percentile (times, 0.95));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
mode_startup (const char *path,
              gint64      main_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  const char *spawned = g_getenv ("CW_BENCH_SPAWN_US");
  gint64 t0 = spawned != NULL ? g_ascii_strtoll (spawned, NULL, 10) : main_us;
  CwWindow *window;
  double first_ms, rss, document_ms;
  gint64 target;

  /* What the application's open does: the window, presented, then the
   * project opened into it (cw_window_open_file, less its backup). */
  window = new_window ();
  gtk_window_present (GTK_WINDOW (window));
  project = _cw_project_open_without_listing_index (path, &error);
  if (project == NULL)
    fail (error->message);
  cw_window_set_project (window, project);
  connect_paints (window);
  wait_for_paint_after (0, "no first frame within 60 s");
  first_ms = (last_paint - t0) / 1000.0;
  rss = cw_bench_current_rss_mib ();

  /* The project opens on its first document, loaded in a worker. */
  target = cw_transcript_view_get_document_id (_cw_window_get_transcript_view (window));
  if (target == 0)
    {
      gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

      while ((target = cw_transcript_view_get_document_id (_cw_window_get_transcript_view (window))) == 0 &&
             g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      wait_for_paint_after (paints, "no frame with the first document");
    }
  document_ms = (last_paint - t0) / 1000.0;

  g_print ("{\"job\":\"startup\",\"clock\":\"%s\",\"ms\":%.2f,\"first_document_ms\":%.2f,\"rss_mib\":%.1f}\n",
           spawned != NULL ? "exec" : "main", first_ms, document_ms, rss);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
mode_repaint (const char *path,
              gint64      target,
              int         samples,
              gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (path, &error);
  g_autoptr(GArray) repaint = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) total = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) commit = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(CwDocumentInfo) info = NULL;
  CwWindow *window;
  gint64 code;
  guint64 state = 0x9E3779B97F4A7C15ull;
  guint missed = 0;

  if (project == NULL)
    fail (error->message);
  if (target <= 0)
    target = largest_document (project);
  info = cw_project_get_document_info (project, target, &error);
  if (info == NULL)
    fail (error->message);
  code = busiest_code (project);

  /* Ours first, so that "changed" is timed before the window handles it. */
  g_signal_connect (project, "changed", G_CALLBACK (project_changed), NULL);
  window = new_window ();
  gtk_window_present (GTK_WINDOW (window));
  cw_window_set_project (window, project);
  connect_paints (window);
  show_document (window, target);
  /* Codings come once the window has settled: the document list filled
   * (a batch per frame) and the codebook counted. */
  {
    gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

    while (_cw_window_is_busy (window))
      {
        if (g_get_monotonic_time () > deadline)
          fail ("the window did not settle within 120 s");
        g_main_context_iteration (NULL, TRUE);
      }
  }
  iterate_for (200);

  for (int i = 0; i < samples + 5; i++)
    {
      gint64 start, t0;
      guint before;

      /* Somewhere in the first screenful, where the user is coding. */
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      start = (gint64) (state % (guint64) MAX (1, MIN (info->characters, 2000) - 80));

      /* A quiet frame clock first, as between two codings by hand. */
      iterate_for (20);
      before = paints;
      changed_at = 0;
      t0 = g_get_monotonic_time ();
      if (cw_project_add_coding (project, target, code, start, start + 40 + i % 30, "Anouk", NULL, &error) == 0)
        fail (error->message);
      if (changed_at == 0)
        fail ("the coding did not emit ::changed");
      {
        gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

        while (paints == before && g_get_monotonic_time () < deadline)
          g_main_context_iteration (NULL, FALSE);
      }
      if (paints == before)
        {
          missed++;
          continue;
        }
      if (i >= 5) /* the first few warm up */
        {
          double r = (last_paint - changed_at) / 1000.0;
          double t = (last_paint - t0) / 1000.0;
          double c = (changed_at - t0) / 1000.0;

          g_array_append_val (repaint, r);
          g_array_append_val (total, t);
          g_array_append_val (commit, c);
        }
    }

  /* The floor: the same widgets drawn again with nothing changed, which is
   * what GTK's renderer costs before any work of ours. */
  for (int i = 0; i < samples + 5; i++)
    {
      CwTranscriptView *view = _cw_window_get_transcript_view (window);
      guint before;
      gint64 t0;

      iterate_for (20);
      before = paints;
      t0 = g_get_monotonic_time ();
      gtk_widget_queue_draw (GTK_WIDGET (view));
      gtk_widget_queue_draw (GTK_WIDGET (_cw_transcript_view_get_stripes (view)));
      {
        gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

        while (paints == before && g_get_monotonic_time () < deadline)
          g_main_context_iteration (NULL, FALSE);
      }
      if (paints != before && i >= 5)
        {
          double r = (last_paint - t0) / 1000.0;

          g_array_append_val (floor, r);
        }
    }

  if (json)
    g_print ("{\"job\":\"repaint\",\"samples\":%u,\"missed\":%u,\"ms\":%.3f,\"p50_ms\":%.3f,"
             "\"coding_to_frame_p50_ms\":%.3f,\"coding_to_frame_p95_ms\":%.3f,\"commit_p95_ms\":%.3f,"
             "\"floor_p95_ms\":%.3f,\"floor_p50_ms\":%.3f}\n",
             repaint->len, missed, percentile (repaint, 0.95), percentile (repaint, 0.5),
             percentile (total, 0.5), percentile (total, 0.95), percentile (commit, 0.95),
             percentile (floor, 0.95), percentile (floor, 0.5));
  else
    g_print ("| repaint after one coding (%u samples) | %.2f | %.2f |\n",
             repaint->len, percentile (repaint, 0.5), percentile (repaint, 0.95));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Runs the loop until done() says so (checked each iteration) and then
 * settle_ms more; returns the longest tick gap meanwhile, in ms. */
typedef gboolean (*DoneFunc) (CwWindow *window);

static double
measure_until (CwWindow   *window,
               DoneFunc    done,
               guint       settle_ms,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!done (window))
    {
      if (g_get_monotonic_time () > deadline)
        fail (what);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate_for (settle_ms);
  return longest_gap / 1000.0;
}

static gboolean
window_idle (CwWindow *window)
{
  return !_cw_window_is_busy (window) &&
         cw_transcript_view_get_document_id (_cw_window_get_transcript_view (window)) != 0;
}

static gint64 wanted_document;

static gboolean
document_shown (CwWindow *window)
{
  return cw_transcript_view_get_document_id (_cw_window_get_transcript_view (window)) == wanted_document &&
         !_cw_window_is_busy (window);
}

static gboolean
retrieval_done (CwWindow *window)
{
  CwRetrievalView *view = _cw_window_get_retrieval_view (window);

  return !_cw_retrieval_view_is_busy (view) &&
         g_list_model_get_n_items (_cw_retrieval_view_get_segments (view)) > 0;
}

static void
reset_gaps (void)
{
  longest_gap = 0;
  last_tick = g_get_monotonic_time ();
}

static void
mode_stall (const char *path,
            gint64      target,
            const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  g_auto(GStrv) list = g_strsplit (words, ",", -1);
  CwWindow *window = new_window ();
  GtkEditable *entry;
  double open_ms, document_ms, search_ms, retrieval_ms, worst;
  guint keystrokes = 0;
  gint64 code, t_open;
  g_autoptr(GArray) redraw = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_window_present (GTK_WINDOW (window));
  connect_paints (window);
  wait_for_paint_after (0, "no first frame");
  gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, NULL, NULL);
  iterate_for (200);

  /* 1. Opening the project: what the application's open does, on the main
   * thread (cw_window_open_file less its backup worker). */
  reset_gaps ();
  if (g_getenv ("CW_BENCH_GAPS") != NULL)
    g_printerr ("phase open %.6f\n", g_get_monotonic_time () / 1e6);
  t_open = g_get_monotonic_time ();
  project = _cw_project_open_without_listing_index (path, &error);
  if (project == NULL)
    fail (error->message);
  cw_window_set_project (window, project);
  open_ms = measure_until (window, window_idle, 300, "the project did not open within 120 s");
  (void) t_open;

  /* The opening's floor: the whole window drawn again with nothing changed
   * (GTK's renderer turning every widget's kept render nodes into pixels
   * and handing them to the display server), which the first frame with
   * the project pays at least, besides building and measuring it. */
  for (int i = 0; i < 9; i++)
    {
      guint before;
      gint64 t0;

      iterate_for (50);
      before = paints;
      t0 = g_get_monotonic_time ();
      gtk_widget_queue_draw (GTK_WIDGET (window));
      wait_for_paint_after (before, "no frame after drawing the window again");
      if (i >= 2)
        {
          double r = (last_paint - t0) / 1000.0;

          g_array_append_val (redraw, r);
        }
    }

  /* 2. The largest document. */
  if (target <= 0)
    target = largest_document (project);
  if (target == cw_transcript_view_get_document_id (_cw_window_get_transcript_view (window)))
    {
      /* Already open: away and back, so that it really loads. */
      wanted_document = other_document (project, target);
      g_signal_emit_by_name (_cw_window_get_document_list (window), "document-selected", wanted_document);
      measure_until (window, document_shown, 100, "the other document did not open");
    }
  reset_gaps ();
  if (g_getenv ("CW_BENCH_GAPS") != NULL)
    g_printerr ("phase document %.6f\n", g_get_monotonic_time () / 1e6);
  wanted_document = target;
  g_signal_emit_by_name (_cw_window_get_document_list (window), "document-selected", target);
  document_ms = measure_until (window, document_shown, 300, "the document did not open within 120 s");

  /* 3. Search all documents as one types: a keystroke every 120 ms. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search-all", NULL);
  iterate_for (200);
  entry = GTK_EDITABLE (_cw_window_get_search_entry (window));
  reset_gaps ();
  for (guint w = 0; list[w] != NULL; w++)
    {
      for (const char *end = g_utf8_next_char (list[w]); ; end = g_utf8_next_char (end))
        {
          g_autofree char *typed = g_strndup (list[w], end - list[w]);

          gtk_editable_set_text (entry, typed);
          keystrokes++;
          iterate_for (120);
          if (*end == '\0')
            break;
        }
      iterate_for (400);
    }
  search_ms = measure_until (window, window_idle, 300, "the search did not finish within 120 s");
  gtk_editable_set_text (entry, "");
  iterate_for (300);

  /* 4. Retrieval of the busiest code in the retrieval view. */
  code = busiest_code (project);
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (window), "retrieval");
  iterate_for (300);
  reset_gaps ();
  if (g_getenv ("CW_BENCH_GAPS") != NULL)
    g_printerr ("phase retrieval %.6f\n", g_get_monotonic_time () / 1e6);
  cw_retrieval_view_set_codes (_cw_window_get_retrieval_view (window), &code, 1);
  retrieval_ms = measure_until (window, retrieval_done, 300, "the retrieval did not finish within 120 s");

  worst = MAX (MAX (open_ms, document_ms), MAX (search_ms, retrieval_ms));
  g_print ("{\"job\":\"stall\",\"ms\":%.1f,\"open_project_ms\":%.1f,\"open_document_ms\":%.1f,\"search_ms\":%.1f,"
           "\"keystrokes\":%u,\"retrieval_ms\":%.1f,\"retrieved\":%u,\"rss_mib\":%.1f,\"peak_rss_mib\":%.1f,"
           "\"window_redraw_ms\":%.1f}\n",
           worst, open_ms, document_ms, search_ms, keystrokes, retrieval_ms,
           g_list_model_get_n_items (_cw_retrieval_view_get_segments (_cw_window_get_retrieval_view (window))),
           cw_bench_current_rss_mib (), peak_rss_mib (), percentile (redraw, 0.5));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gint64 main_us = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("PROJECT [DOC_ID]");
  g_autofree char *mode = NULL;
  g_autofree char *words = NULL;
  gboolean json = FALSE;
  int runs = 15, samples = 200;
  gint64 target;
  GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "open (default), startup, repaint or stall", "MODE" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "open: timed runs (15)", "N" },
    { "samples", 0, 0, G_OPTION_ARG_INT, &samples, "repaint: codings timed (200)", "N" },
    { "words", 0, 0, G_OPTION_ARG_STRING, &words, "stall: words typed into the search", "W,W" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON line", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2 || argc > 3 || runs < 1 || samples < 1)
    {
      g_printerr ("usage: cw-bench-window PROJECT [DOC_ID] [--mode open|startup|repaint|stall] (needs a display)\n");
      return 2;
    }
  /* As the application's main () does. */
  cw_application_choose_renderer ();
  if (!gtk_init_check ())
    {
      g_printerr ("cw-bench-window: no display (run it under Xvfb)\n");
      return 2;
    }
  adw_init ();
  target = argc > 2 ? g_ascii_strtoll (argv[2], NULL, 10) : 0;

  if (mode == NULL || g_str_equal (mode, "open"))
    mode_open (argv[1], target, runs, json);
  else if (g_str_equal (mode, "startup"))
    mode_startup (argv[1], main_us);
  else if (g_str_equal (mode, "repaint"))
    mode_repaint (argv[1], target, samples, json);
  else if (g_str_equal (mode, "stall"))
    mode_stall (argv[1], target, words != NULL ? words : "werkgever,begeleiding");
  else
    {
      g_printerr ("cw-bench-window: no mode '%s'\n", mode);
      return 2;
    }
  return 0;
}
