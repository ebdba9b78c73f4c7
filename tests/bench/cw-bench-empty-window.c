/* cw-bench-empty-window: the floor of the start-up job. Needs a display.
 *
 *   cw-bench-empty-window
 *
 * From the exec of this process (CW_BENCH_SPAWN_US: the spawner's
 * CLOCK_MONOTONIC in microseconds, else from main) to the first frame
 * painted of an empty libadwaita window (a header bar and a status page),
 * with the renderer the application would choose; RSS at that frame. What
 * GTK and libadwaita cost on this machine before Codewerk does anything.
 * Prints one JSON line. */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "cw-application.h"
#include "cw-bench-rss.h"

static guint  paints;
static gint64 last_paint;

static void
after_paint (GdkFrameClock *clock,
             gpointer       data)
{
  paints++;
  last_paint = g_get_monotonic_time ();
}

int
main (int   argc,
      char *argv[])
{
  gint64 main_us = g_get_monotonic_time ();
  const char *spawned = g_getenv ("CW_BENCH_SPAWN_US");
  gint64 t0 = spawned != NULL ? g_ascii_strtoll (spawned, NULL, 10) : main_us;
  gint64 deadline;
  GtkWidget *window, *box, *page;

  cw_application_choose_renderer ();
  if (!gtk_init_check ())
    {
      g_printerr ("cw-bench-empty-window: no display (run it under Xvfb)\n");
      return 2;
    }
  adw_init ();

  window = adw_application_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  page = adw_status_page_new ();
  adw_status_page_set_title (ADW_STATUS_PAGE (page), "Codewerk");
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint), NULL);

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (paints == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (paints == 0)
    {
      g_printerr ("cw-bench-empty-window: no frame within 60 s\n");
      return 1;
    }
  g_print ("{\"job\":\"startup-floor\",\"clock\":\"%s\",\"ms\":%.2f,\"rss_mib\":%.1f}\n",
           spawned != NULL ? "exec" : "main", (last_paint - t0) / 1000.0, cw_bench_current_rss_mib ());
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
