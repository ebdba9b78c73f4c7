/* cw-refi-import.c: being written (issue 5). */
#include "cw-refi.h"
#include "cw-import.h"

gboolean
cw_refi_import_codebook (CwProject *project, const char *path, guint *added, guint *matched,
                         GPtrArray *warnings, GError **error)
{
  g_set_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_UNSUPPORTED, "%s: REFI-QDA import is being written", path);
  return FALSE;
}

CwProject *
cw_refi_import_project (const char *qdpx_path, const char *project_path, GPtrArray *warnings,
                        CwProgressFunc progress, gpointer progress_data, GCancellable *cancellable, GError **error)
{
  g_set_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_UNSUPPORTED, "%s: REFI-QDA import is being written", qdpx_path);
  return NULL;
}
