/* fuzz-qdc.c: REFI-QDA codebooks (codebook-import) into a fresh project
 * each run: the XML, the code tree, GUIDs, colours, duplicate names. The
 * project is a copy of one made once, on tmpfs. */
#include "config.h"

#include <glib/gstdio.h>

#include "cw-refi.h"
#include "fuzz-common.h"

static char *template_path;
static char *input_path;
static char *project_path;

int
LLVMFuzzerInitialize (int   *argc,
                      char ***argv)
{
  const char *dir;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;

  cw_fuzz_init ();
  dir = cw_fuzz_temp_dir ();
  template_path = g_build_filename (dir, "template.codewerk", NULL);
  input_path = g_build_filename (dir, "input.qdc", NULL);
  project_path = g_build_filename (dir, "run.codewerk", NULL);
  project = cw_project_create (template_path, "fuzz", &error);
  if (project == NULL)
    g_error ("fuzz: cannot make the template project: %s", error->message);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *const keep[] = { "template.codewerk", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *template = NULL;
  gsize template_size = 0;
  guint added = 0, matched = 0;
  gboolean ok;

  if (!g_file_get_contents (template_path, &template, &template_size, &error) ||
      !g_file_set_contents (project_path, template, (gssize) template_size, &error) ||
      !g_file_set_contents (input_path, (const char *) data, (gssize) size, &error) ||
      (project = cw_project_open (project_path, &error)) == NULL)
    g_error ("fuzz: cannot set up the run: %s", error->message);

  ok = cw_refi_import_codebook (project, input_path, &added, &matched, warnings, &error);
  cw_fuzz_check_outcome (ok ? GINT_TO_POINTER (1) : NULL, error);
  cw_fuzz_check_strings (warnings);
  g_clear_object (&project);
  cw_fuzz_clean_dir (cw_fuzz_temp_dir (), keep);
  return 0;
}
