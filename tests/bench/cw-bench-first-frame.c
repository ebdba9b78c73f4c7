/* cw-bench-first-frame: the start-up of the real `codewerk`, to its first
 * frame. Loaded with LD_PRELOAD (a shared module, not installed):
 *
 *   CW_BENCH_SPAWN_US=... LD_PRELOAD=.../cw-bench-first-frame.so codewerk PROJECT
 *
 * It wraps gtk_window_present (called from the application, so the wrapper
 * is the one the dynamic linker finds) and waits for the first "after-paint"
 * of the first window presented, the point cw-bench-window --mode startup
 * measures. Then it prints one JSON line, as cw-bench-window does (ms from
 * CW_BENCH_SPAWN_US, else 0; VmRSS at that frame) and exits at once, so the
 * backup the application starts on opening is cut short.
 *
 * cw-bench-window calls the window's functions itself and leaves out what
 * the application does around them (its start-up, GtkApplication's work
 * for each window, the backup worker); this measures all of it without a
 * line of benchmark code in the application. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gtk/gtk.h>
#include "cw-bench-rss.h"

/* Exported for the dynamic linker only. */
void gtk_window_present (GtkWindow *window);

static void
after_paint (GdkFrameClock *clock,
             gpointer       data)
{
  gint64 now = g_get_monotonic_time ();
  const char *spawned = g_getenv ("CW_BENCH_SPAWN_US");
  gint64 t0 = spawned != NULL ? g_ascii_strtoll (spawned, NULL, 10) : now;

  printf ("{\"job\":\"startup-app\",\"clock\":\"%s\",\"ms\":%.2f,\"rss_mib\":%.1f}\n",
          spawned != NULL ? "exec" : "none", (now - t0) / 1000.0, cw_bench_current_rss_mib ());
  fflush (stdout);
  /* Not exit (): no atexit handlers, no waiting for the backup worker. */
  _exit (0);
}

void
gtk_window_present (GtkWindow *window)
{
  static void (*real_present) (GtkWindow *window);
  static gboolean watching;
  GdkFrameClock *clock;

  if (real_present == NULL)
    real_present = (void (*) (GtkWindow *)) dlsym (RTLD_NEXT, "gtk_window_present");
  real_present (window);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (!watching && clock != NULL)
    {
      watching = TRUE;
      g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), NULL);
    }
}
