/* fuzz-qdpx.c: REFI-QDA projects (import-project): the zip, project.qde
 * (users, codebook, sources, selections, codings, notes, cases,
 * variables, sets), source texts and their positions. Each run imports
 * into a new project on tmpfs, removed after it.
 * Input: a zip, or entries zipped on the fly (fuzz-common.h), the first
 * being project.qde. */
#include "config.h"

#include <glib/gstdio.h>

#include "cw-refi.h"
#include "fuzz-common.h"

static char *input_path;
static char *project_path;

int
LLVMFuzzerInitialize (int   *argc,
                      char ***argv)
{
  const char *dir;

  cw_fuzz_init ();
  dir = cw_fuzz_temp_dir ();
  input_path = g_build_filename (dir, "input.qdpx", NULL);
  project_path = g_build_filename (dir, "run.codewerk", NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) zip = cw_fuzz_zip_new (data, size, "project.qde");
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  if (zip == NULL)
    return 0;
  if (!g_file_set_contents (input_path, g_bytes_get_data (zip, NULL), (gssize) g_bytes_get_size (zip), &error))
    g_error ("fuzz: cannot write the input: %s", error->message);

  project = cw_refi_import_project (input_path, project_path, warnings, NULL, NULL, NULL, &error);
  cw_fuzz_check_outcome (project, error);
  cw_fuzz_check_strings (warnings);
  /* A failed import leaves nothing at project_path. */
  if (project == NULL && g_file_test (project_path, G_FILE_TEST_EXISTS))
    g_error ("fuzz: a refused .qdpx left %s behind", project_path);
  g_clear_object (&project);
  cw_fuzz_clean_dir (cw_fuzz_temp_dir (), NULL);
  return 0;
}
