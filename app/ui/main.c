/* main.c: codewerk [PROJECT...] */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>

#include "cw-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CwApplication) app = NULL;
  const char *localedir = g_getenv ("CODEWERK_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* CODEWERK_LOCALEDIR points at the build's .mo files when running
   * uninstalled (build-aux/run). */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Once, before any thread parses an imported document. */
  xmlInitParser ();

  cw_application_choose_renderer ();
  g_set_application_name (_("Codewerk"));
  app = cw_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
