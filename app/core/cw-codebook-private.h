/* cw-codebook-private.h: what cw-coding.c (and retrieval) share with the
 * codebook about names and paths. */
#pragma once

#include "cw-codebook.h"

G_BEGIN_DECLS

/* A name as stored: trimmed, NFC, valid UTF-8, not empty, no control
 * characters and (unless allow_slash) no '/'. what names the thing in the
 * CW_PROJECT_ERROR_INVALID message ("code", "group", "coder"). */
char       *_cw_clean_name           (const char  *name,
                                      const char  *what,
                                      gboolean     allow_slash,
                                      GError     **error);
/* "Parent/Child"; NULL and CW_PROJECT_ERROR_NOT_FOUND if there is no code. */
char       *_cw_project_code_path    (CwProject   *self,
                                      gint64       id,
                                      GError     **error);
/* Every code's path: gint64 * -> char *, for the list functions. */
GHashTable *_cw_project_code_paths   (CwProject   *self,
                                      GError     **error);
/* cw_project_list_codes without the coding counts (n_codings 0): the
 * analyses that only need the tree skip a pass over every coding. */
GPtrArray  *_cw_project_list_codes_uncounted (CwProject  *self,
                                              GError    **error);
/* "2024-05-01T12:00:00Z" */
char       *_cw_now_iso8601          (void);

G_END_DECLS
