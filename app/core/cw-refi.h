/* cw-refi.h: REFI-QDA exchange — codebooks (.qdc) and projects (.qdpx).
 *
 * Export writes the standard's own form (../shared/refi-qda/NOTES.md §7):
 * namespaces urn:QDA-XML:codebook:1.0 / urn:QDA-XML:project:1.0, uppercase
 * GUIDs, sources/<GUID>.txt in UTF-8 with LF, positions in code points,
 * end exclusive. Import is tolerant of what real tools write (§4–§6) and
 * reports what it could not keep as warnings. Errors on bad input use
 * CW_IMPORT_ERROR codes with "FILE: reason" messages and change nothing.
 */
#pragma once

#include "cw-project.h"

G_BEGIN_DECLS

/* Writes the whole codebook to path (atomically: a temporary file renamed
 * over it), valid against Codebook.xsd. */
gboolean   cw_refi_export_codebook (CwProject       *project,
                                    const char      *path,
                                    GError         **error);

/* Writes the project exchange file to path (atomically), with project.qde
 * valid against Project.xsd. GUIDs are the project's own, so they are
 * stable across exports. */
gboolean   cw_refi_export_project  (CwProject       *project,
                                    const char      *path,
                                    CwProgressFunc   progress,
                                    gpointer         progress_data,
                                    GCancellable    *cancellable,
                                    GError         **error);

/* Adds the codes of a .qdc to the project in one undoable step: matched to
 * existing codes by GUID, then by path; *added and *matched count them.
 * warnings (may be NULL) receives one string per thing worth telling. */
gboolean   cw_refi_import_codebook (CwProject       *project,
                                    const char      *path,
                                    guint           *added,
                                    guint           *matched,
                                    GPtrArray       *warnings,
                                    GError         **error);

/* Creates a new project at project_path from a .qdpx (refuses an existing
 * file): sources, codebook, codings, coders, memos, cases and variables,
 * sets. On failure nothing is left at project_path. */
CwProject *cw_refi_import_project  (const char      *qdpx_path,
                                    const char      *project_path,
                                    GPtrArray       *warnings,
                                    CwProgressFunc   progress,
                                    gpointer         progress_data,
                                    GCancellable    *cancellable,
                                    GError         **error);

G_END_DECLS
