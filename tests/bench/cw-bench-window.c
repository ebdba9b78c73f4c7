/* cw-bench-window PROJECT [DOC_ID] [--runs N]: time to open a document with
 * its codings in the window until it is drawn.
 *
 * Each run switches from another document to DOC_ID (default 1: the one
 * cw-bench-coding gives 2,000 codings) through the document list's signal,
 * as a click does, and stops the clock at the first frame painted after the
 * transcript view shows it with its codings. Needs a display (Xvfb). */
#include "config.h"

#include <adwaita.h>

#include "cw-coding.h"
#include "cw-window-private.h"

static gboolean painted;

static void
after_paint (GdkFrameClock *clock,
             gpointer       data)
{
  painted = TRUE;
}

static void
iterate_until_shown (CwTranscriptView *view,
                     gint64            id)
{
  while (cw_transcript_view_get_document_id (view) != id)
    g_main_context_iteration (NULL, TRUE);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  CwWindow *window;
  CwTranscriptView *view;
  GdkFrameClock *clock;
  gint64 target = argc > 2 ? g_ascii_strtoll (argv[2], NULL, 10) : 1, other;
  int runs = 15;
  guint n_codings = 0;

  if (argc < 2 || !gtk_init_check ())
    {
      g_printerr ("usage: cw-bench-window PROJECT [DOC_ID] (needs a display)\n");
      return 2;
    }
  adw_init ();

  project = cw_project_open (argv[1], &error);
  if (project == NULL)
    g_error ("%s", error->message);
  other = target == 1 ? 2 : 1;

  window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  cw_window_set_project (window, project);
  view = _cw_window_get_transcript_view (window);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), NULL);

  for (int run = 0; run < runs + 1; run++)
    {
      gint64 t0;
      double ms;

      /* Away to the other document first, settled and drawn. */
      g_signal_emit_by_name (_cw_window_get_document_list (window), "document-selected", other);
      iterate_until_shown (view, other);
      painted = FALSE;
      while (!painted)
        g_main_context_iteration (NULL, TRUE);

      t0 = g_get_monotonic_time ();
      g_signal_emit_by_name (_cw_window_get_document_list (window), "document-selected", target);
      iterate_until_shown (view, target);
      painted = FALSE;
      while (!painted)
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      n_codings = cw_transcript_view_get_codings (view)->len;
      if (run > 0) /* the first warms the caches */
        g_array_append_val (times, ms);
    }

  g_array_sort (times, compare_double);
  g_print ("| open a document with %u codings until drawn (%d runs) | %.1f | %.1f |\n",
           n_codings, runs,
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, (guint) (times->len * 0.95) < times->len ? (guint) (times->len * 0.95) : times->len - 1));
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
