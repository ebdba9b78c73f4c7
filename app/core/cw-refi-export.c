/* cw-refi-export.c: being written (issue 5). */
#include "cw-refi.h"
#include "cw-import.h"

gboolean
cw_refi_export_codebook (CwProject *project, const char *path, GError **error)
{
  g_set_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_UNSUPPORTED, "%s: REFI-QDA export is being written", path);
  return FALSE;
}

gboolean
cw_refi_export_project (CwProject *project, const char *path, CwProgressFunc progress, gpointer progress_data,
                        GCancellable *cancellable, GError **error)
{
  g_set_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_UNSUPPORTED, "%s: REFI-QDA export is being written", path);
  return FALSE;
}
