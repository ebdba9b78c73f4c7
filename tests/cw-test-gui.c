#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cw-test-gui.h"

void
cw_test_gui_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GtkCssProvider) css = NULL;

  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    g_error ("no display: the GUI tests need one (DISPLAY, e.g. from Xvfb)");
  adw_init ();

  /* The application's icons, as GtkApplication would find them. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_BASE "/icons");
  /* The display keeps its own reference. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
cw_test_wait_until (CwTestCondition condition,
                    gpointer        data)
{
  gint64 deadline = g_get_monotonic_time () + CW_TEST_TIMEOUT_MS * 1000;
  guint id = g_timeout_add (10, wake_up, NULL);
  gboolean ok;

  while (!(ok = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
  return ok;
}

void
cw_test_wait_ms (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;
  guint id = g_timeout_add (10, wake_up, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static char *
screenshot_dir (void)
{
  const char *dir = g_getenv ("CODEWERK_SCREENSHOT_DIR");
  const char *build = g_getenv ("CODEWERK_BUILD_ROOT");

  if (dir != NULL && dir[0] != '\0')
    return g_strdup (dir);
  if (build != NULL && build[0] != '\0')
    return g_build_filename (build, "tests", "screenshots", NULL);
  return g_build_filename (g_get_tmp_dir (), "codewerk-screenshots", NULL);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

void
cw_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  g_autofree char *dir = screenshot_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  cw_test_wait_ms (300);
  /* A dialog just presented on a loaded machine (ASan beside other
   * suites) may not have its size yet. */
  g_assert_true (cw_test_wait_until (has_size, widget));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  /* On a loaded machine the widget may not have drawn yet: give it frames
   * until it has something to show, within the usual timeout. */
  for (guint tries = 0; node == NULL && tries < CW_TEST_TIMEOUT_MS / 100; tries++)
    {
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        cw_test_wait_ms (100);
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}
