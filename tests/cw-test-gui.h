/* Helpers shared by the GUI tests: set-up, waiting on the main loop,
 * screenshots. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* g_test_init, GTK and libadwaita, and the application's icons and style
 * sheet, as the application has them; no display is an error, not a skip. */
void     cw_test_gui_init        (int              *argc,
                                  char           ***argv);

/* How long a condition may take before the test fails. */
/* Long enough for the ASan build on a loaded 2-core machine; a wait
 * that succeeds returns at once. */
#define CW_TEST_TIMEOUT_MS 30000

typedef gboolean (*CwTestCondition) (gpointer data);

/* Runs the main loop until condition holds; FALSE on timeout. */
gboolean cw_test_wait_until      (CwTestCondition  condition,
                                  gpointer         data);
/* Lets the window lay out and draw for ms milliseconds. */
void     cw_test_wait_ms         (guint            ms);
/* Saves widget as NAME in $CODEWERK_SCREENSHOT_DIR, else
 * $CODEWERK_BUILD_ROOT/tests/screenshots. */
void     cw_test_save_screenshot (GtkWidget       *widget,
                                  const char      *name);

G_END_DECLS
