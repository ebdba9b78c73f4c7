/* cw-application.c: the Codewerk application.
 *
 * One window per project: opening a project reuses a window that has none,
 * else opens a new window.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cw-application-private.h"
#include "cw-crypt.h"
#include "cw-passphrase-dialog.h"
#include "cw-window-private.h"

struct _CwApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CwApplication, cw_application, ADW_TYPE_APPLICATION)

/**
 * cw_application_choose_renderer:
 *
 * Call before GTK initialises. Without a GPU (no DRM device: a virtual
 * machine, a remote session, Xvfb) GTK would draw with OpenGL emulated in
 * software, which is slower than its cairo renderer, and merely loading
 * Mesa for it costs about 55 MiB and a tenth of the start-up. So with no
 * GPU, or when cairo was asked for in GSK_RENDERER, GL is left alone. A
 * renderer or GDK_DEBUG set by the user is kept.
 */
void
cw_application_choose_renderer (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");

  if (renderer == NULL)
    {
      g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, "renderD") || g_str_has_prefix (name, "card"))
          return;
      g_setenv ("GSK_RENDERER", "cairo", FALSE);
      renderer = "cairo";
    }
  if (g_str_equal (renderer, "cairo"))
    g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
}

/* A window without a project, or a new one. A window busy creating a
 * project from an exchange file is not free. */
static CwWindow *
get_free_window (CwApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (CW_IS_WINDOW (l->data) && cw_window_get_project (l->data) == NULL && !_cw_window_is_busy (l->data))
      return l->data;

  return cw_window_new (GTK_APPLICATION (self));
}

static CwWindow *
get_active_window (CwApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CW_IS_WINDOW (window))
    return CW_WINDOW (window);

  return get_free_window (self);
}

/* Opening an encrypted copy (issue 10): where the decrypted project goes,
 * then its passphrase (asked again after a wrong one), then the project. */

typedef struct
{
  CwWindow *window; /* owned */
  GFile    *target;
} Decrypted;

static void
decrypted_free (Decrypted *decrypted)
{
  g_object_unref (decrypted->window);
  g_object_unref (decrypted->target);
  g_free (decrypted);
}

static void
decrypted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Decrypted *decrypted = user_data;
  g_autoptr(GError) error = NULL;

  if (!cw_passphrase_dialog_decrypt_finish (result, &error) ||
      !cw_window_open_file (decrypted->window, decrypted->target, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cw_window_show_error (decrypted->window, error->message);
    }
  decrypted_free (decrypted);
}

void
_cw_application_open_encrypted (CwApplication *self,
                                GFile         *encrypted,
                                GFile         *target)
{
  Decrypted *decrypted;

  g_return_if_fail (CW_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (encrypted));
  g_return_if_fail (G_IS_FILE (target));

  decrypted = g_new0 (Decrypted, 1);
  decrypted->window = g_object_ref (get_free_window (self));
  decrypted->target = g_object_ref (target);
  gtk_window_present (GTK_WINDOW (decrypted->window));
  cw_passphrase_dialog_decrypt_async (GTK_WINDOW (decrypted->window), encrypted, target, NULL,
                                      decrypted_cb, decrypted);
}

static GtkFileFilter *project_filter (void);
static void remember_folder (GFile *file);

static void
decrypt_target_response_cb (GtkNativeDialog *dialog,
                            int              response,
                            gpointer         user_data)
{
  CwApplication *self = user_data;
  GFile *encrypted = g_object_get_data (G_OBJECT (dialog), "encrypted");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          g_autofree char *full = g_str_has_suffix (path, ".codewerk") ? g_strdup (path)
                                                                       : g_strconcat (path, ".codewerk", NULL);
          g_autoptr(GFile) target = g_file_new_for_path (full);

          remember_folder (target);
          _cw_application_open_encrypted (self, encrypted, target);
        }
    }

  g_object_unref (dialog);
}

static void
open_encrypted (CwApplication *self,
                GFile         *encrypted)
{
  g_autoptr(GtkFileFilter) filter = project_filter ();
  g_autoptr(GFile) folder = g_file_get_parent (encrypted);
  g_autofree char *name = g_file_get_basename (encrypted);
  GtkFileChooserNative *chooser;

  /* NAME.codewerk-enc becomes NAME.codewerk, next to it. */
  if (g_str_has_suffix (name, "-enc"))
    name[strlen (name) - strlen ("-enc")] = '\0';
  else
    {
      char *with = g_strconcat (name, ".codewerk", NULL);

      g_free (name);
      name = with;
    }

  chooser = gtk_file_chooser_native_new (_("Save the Decrypted Project"),
                                         gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "encrypted", g_object_ref (encrypted), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (decrypt_target_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_file (CwApplication *self,
           GFile         *file)
{
  CwWindow *window;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL && cw_crypt_is_encrypted (path))
    {
      open_encrypted (self, file);
      return;
    }

  window = get_free_window (self);
  gtk_window_present (GTK_WINDOW (window));
  if (!cw_window_open_file (window, file, &error))
    cw_window_show_error (window, error->message);
}

static void
cw_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (get_active_window (CW_APPLICATION (application))));
}

static void
cw_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    open_file (CW_APPLICATION (application), files[i]);
}

static void
remember_folder (GFile *file)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *path = parent != NULL ? g_file_get_path (parent) : NULL;

  if (path != NULL)
    g_settings_set_string (settings, "last-folder", path);
}

static void
set_last_folder (GtkFileChooser *chooser)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *folder = g_settings_get_string (settings, "last-folder");

  if (folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (chooser, file, NULL);
    }
}

static GtkFileFilter *
project_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Codewerk projects"));
  gtk_file_filter_add_suffix (filter, "codewerk");
  return filter;
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  CwApplication *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        {
          remember_folder (file);
          open_file (self, file);
        }
    }

  g_object_unref (dialog);
}

static void
open_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CwApplication *self = user_data;
  g_autoptr(GtkFileFilter) filter = project_filter ();
  GtkFileChooserNative *chooser;

  /* Encrypted copies open too (decrypted to a new file first). */
  gtk_file_filter_add_suffix (filter, "codewerk-enc");
  chooser = gtk_file_chooser_native_new (_("Open Project"),
                                         gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  set_last_folder (GTK_FILE_CHOOSER (chooser));
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_response_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  CwApplication *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          g_autofree char *full = g_str_has_suffix (path, ".codewerk") ? g_strdup (path)
                                                                       : g_strconcat (path, ".codewerk", NULL);
          g_autofree char *basename = g_path_get_basename (full);
          g_autofree char *title = g_strndup (basename, strlen (basename) - strlen (".codewerk"));
          g_autoptr(GError) error = NULL;
          g_autoptr(CwProject) project = cw_project_create (full, title, &error);
          CwWindow *window = get_free_window (self);

          gtk_window_present (GTK_WINDOW (window));
          if (project == NULL)
            cw_window_show_error (window, error->message);
          else
            cw_window_set_project (window, project);
          remember_folder (file);
        }
    }

  g_object_unref (dialog);
}

static void
new_action (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  CwApplication *self = user_data;
  g_autoptr(GtkFileFilter) filter = project_filter ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("New Project"),
                                         gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Create"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: the suggested file name of a new project. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("Project.codewerk"));
  set_last_folder (GTK_FILE_CHOOSER (chooser));
  g_signal_connect (chooser, "response", G_CALLBACK (new_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Import a REFI-QDA project: choose the .qdpx, then where the new project
 * goes; the work runs in the window that will show it. */

void
_cw_application_import_project (CwApplication *self,
                                GFile         *qdpx,
                                GFile         *target)
{
  CwWindow *window;

  g_return_if_fail (CW_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (qdpx));
  g_return_if_fail (G_IS_FILE (target));

  window = get_free_window (self);
  gtk_window_present (GTK_WINDOW (window));
  _cw_window_import_project_from (window, qdpx, target);
}

static void
import_target_response_cb (GtkNativeDialog *dialog,
                           int              response,
                           gpointer         user_data)
{
  CwApplication *self = user_data;
  GFile *qdpx = g_object_get_data (G_OBJECT (dialog), "qdpx");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          g_autofree char *full = g_str_has_suffix (path, ".codewerk") ? g_strdup (path)
                                                                       : g_strconcat (path, ".codewerk", NULL);
          g_autoptr(GFile) target = g_file_new_for_path (full);

          remember_folder (target);
          _cw_application_import_project (self, qdpx, target);
        }
    }

  g_object_unref (dialog);
}

static void
import_source_response_cb (GtkNativeDialog *dialog,
                           int              response,
                           gpointer         user_data)
{
  CwApplication *self = user_data;
  g_autoptr(GFile) qdpx = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  char *dot;

  if (response == GTK_RESPONSE_ACCEPT)
    qdpx = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (qdpx == NULL)
    return;

  /* The new project beside the exchange file, named after it. */
  basename = g_file_get_basename (qdpx);
  dot = strrchr (basename, '.');
  if (dot != NULL && dot != basename)
    *dot = '\0';
  name = g_strconcat (basename, ".codewerk", NULL);
  folder = g_file_get_parent (qdpx);
  filter = project_filter ();

  chooser = gtk_file_chooser_native_new (_("Save the New Project"),
                                         gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Create"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "qdpx", g_steal_pointer (&qdpx), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (import_target_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_project_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CwApplication *self = user_data;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  gtk_file_filter_set_name (filter, _("REFI-QDA projects"));
  gtk_file_filter_add_suffix (filter, "qdpx");

  chooser = gtk_file_chooser_native_new (_("Import Project (REFI-QDA)"),
                                         gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  set_last_folder (GTK_FILE_CHOOSER (chooser));
  g_signal_connect (chooser, "response", G_CALLBACK (import_source_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_recent_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CwApplication *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  open_file (self, file);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CwApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing the windows saves their size; the app quits with the last one. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  CwApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!GTK_IS_APPLICATION_WINDOW (window))
    return;
  /* Built when first asked for, not with every window: it was 4 % of the
   * start-up. Setting it adds the window's win.show-help-overlay. */
  if (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "/ui/help-overlay.ui");

      gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (window),
                                               GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  CwApplication *self = user_data;
  static const char *developers[] = { "The Codewerk developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Codewerk"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Codewerk developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Read, search and code interview transcripts"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one a line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "new", new_action },
  { "open", open_action },
  { "open-recent", open_recent_action, "s" },
  { "import-project", import_project_action },
  { "quit", quit_action },
  { "shortcuts", shortcuts_action },
  { "about", about_action },
};

static void
cw_application_startup (GApplication *application)
{
  GtkApplication *app = GTK_APPLICATION (application);
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *no_accels[] = { NULL };

  G_APPLICATION_CLASS (cw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (app, "app.new", new_accels);
  gtk_application_set_accels_for_action (app, "app.open", open_accels);
  gtk_application_set_accels_for_action (app, "app.quit", quit_accels);
  /* One name for the shortcuts window: app.shortcuts, used by the menu. */
  gtk_application_set_accels_for_action (app, "win.show-help-overlay", no_accels);
  gtk_application_set_accels_for_action (app, "app.shortcuts", shortcuts_accels);

  gtk_window_set_default_icon_name (APP_ID);
}

static void
cw_application_class_init (CwApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = cw_application_activate;
  app_class->open = cw_application_open;
  app_class->startup = cw_application_startup;
}

static void
cw_application_init (CwApplication *self)
{
}

CwApplication *
cw_application_new (void)
{
  return g_object_new (CW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}
