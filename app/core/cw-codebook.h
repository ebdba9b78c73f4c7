/* cw-codebook.h: the coding scheme, a tree of codes of any depth.
 *
 * A code's path joins the names from the root with '/', e.g.
 * "Begeleiding/Jobcoach"; names therefore never contain '/'. Sibling
 * names are unique. Every edit is one transaction and one undo step.
 */
#pragma once

#include "cw-project.h"

G_BEGIN_DECLS

typedef struct
{
  gint64    id;
  char     *guid;
  gint64    parent_id;    /* 0 for a top-level code */
  char     *name;
  char     *path;         /* "Parent/Child" */
  char     *color;        /* "#RRGGBB" */
  char     *description;  /* may be NULL */
  int       position;     /* order among siblings, 0-based */
  gboolean  codable;      /* FALSE for a category that cannot be applied */
  guint     depth;        /* 0 for a top-level code */
  guint     n_codings;    /* codings of this code itself */
} CwCode;

void    cw_code_free (CwCode *code);
CwCode *cw_code_copy (const CwCode *code);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwCode, cw_code_free)

/* Every code, depth first: a parent before its children, siblings by
 * position. */
GPtrArray *cw_project_list_codes   (CwProject   *self,
                                    GError     **error);
CwCode    *cw_project_get_code     (CwProject   *self,
                                    gint64       id,
                                    GError     **error);
/* 0 and CW_PROJECT_ERROR_NOT_FOUND when there is no such code. */
gint64     cw_project_lookup_code  (CwProject   *self,
                                    const char  *path,
                                    GError     **error);

/* Creates the code at path and any missing parents (as codable codes).
 * CW_PROJECT_ERROR_EXISTS when the whole path exists already. color may be
 * NULL: a colour is picked from a palette. Returns the new code's id. */
gint64     cw_project_add_code     (CwProject   *self,
                                    const char  *path,
                                    const char  *color,
                                    const char  *description,
                                    GError     **error);
/* Creates a child of parent_id (0: top level) at the end of its siblings. */
gint64     cw_project_create_code  (CwProject   *self,
                                    gint64       parent_id,
                                    const char  *name,
                                    const char  *color,
                                    const char  *description,
                                    gboolean     codable,
                                    GError     **error);
gboolean   cw_project_rename_code  (CwProject   *self,
                                    gint64       id,
                                    const char  *name,
                                    GError     **error);
gboolean   cw_project_set_code_color       (CwProject   *self,
                                            gint64       id,
                                            const char  *color,
                                            GError     **error);
gboolean   cw_project_set_code_description (CwProject   *self,
                                            gint64       id,
                                            const char  *description,
                                            GError     **error);
gboolean   cw_project_set_code_codable     (CwProject   *self,
                                            gint64       id,
                                            gboolean     codable,
                                            GError     **error);
/* Re-parents and/or reorders: the code goes under new_parent_id (0: top
 * level) at position (-1: last). Refuses to move a code into itself or
 * its descendants, and a name clash among the new siblings. */
gboolean   cw_project_move_code    (CwProject   *self,
                                    gint64       id,
                                    gint64       new_parent_id,
                                    int          position,
                                    GError     **error);
/* Merges source into target: source's codings become target's (a coding
 * that target already has for the same coder and range collapses into
 * it), source's children move under target, source's memos too; source is
 * deleted. */
gboolean   cw_project_merge_codes  (CwProject   *self,
                                    gint64       source_id,
                                    gint64       target_id,
                                    GError     **error);
/* Deletes the code, its descendants and all their codings. */
gboolean   cw_project_delete_code  (CwProject   *self,
                                    gint64       id,
                                    GError     **error);

/* "#RRGGBB" or "#RGB" (normalised to "#rrggbb"); NULL if not a colour. */
char      *cw_code_normalize_color (const char *color);

G_END_DECLS
