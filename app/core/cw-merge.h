/* cw-merge.h: merging other coders' copies of a project into this one.
 *
 * Each other project (a .codewerk file, opened read-only and never
 * migrated, or a .qdpx, imported first into a temporary project) is merged
 * in one transaction for all files: a failure or a cancellation anywhere
 * leaves the project exactly as it was.
 *
 * Matching: documents by GUID, then by identical text; codes by GUID, then
 * by path; coders by name; codings are the same when document, code,
 * coder, start and end are (then skipped); memos by GUID, then by the same
 * target and text; groups, cases and variables by GUID, then by name or
 * identifier. What does not match is added with the other file's GUID, so
 * merging the same file again adds nothing.
 *
 * Nothing is overwritten: a difference is a conflict, reported and left as
 * ours (see CwMergeConflictKind). A missing case value here is filled in
 * (that overwrites nothing); a value missing there is no conflict.
 *
 * From a .qdpx (REFI-QDA has no speakers), a case's link to a whole
 * document counts as present when the case is linked to that document at
 * all. Not merged: the project's title, the pseudonym table and the
 * spelling word list (each copy keeps its own).
 *
 * Undo: a merge is one undo step ("Merge “file”"). Undoing it removes
 * everything it added, documents and coders too; a merge that added
 * documents or coders (which the history does not track) cannot be redone
 * after that. Like every edit, a merge clears the redo steps.
 */
#pragma once

#include "cw-json.h"
#include "cw-project.h"

G_BEGIN_DECLS

typedef enum
{
  /* A code with the same GUID has another path in the other copy (renamed
   * or moved). Its codings go to our code; ours keeps its name and place.
   * guid, ours and theirs are set (ours/theirs: the paths). */
  CW_MERGE_CONFLICT_CODE_RENAMED,
  /* A document with the same GUID has another text in the other copy.
   * Its codings (and memos on them) are not merged, since their offsets
   * may not fit; they are counted in codings_skipped and in n_codings.
   * Memos on the document itself are merged. guid and name (our name). */
  CW_MERGE_CONFLICT_DOCUMENT_TEXT,
  /* A memo with the same GUID has another text. guid, name (its title),
   * ours and theirs (the texts) are set. */
  CW_MERGE_CONFLICT_MEMO_TEXT,
  /* A case has another value for a variable. name (the case identifier),
   * variable, ours and theirs are set. */
  CW_MERGE_CONFLICT_CASE_VALUE,
  /* A variable has another type ("numeric", "text", "date"); its values
   * are not merged. variable, ours and theirs are set. */
  CW_MERGE_CONFLICT_VARIABLE_TYPE,
  /* A value label differs. variable, name (the value), ours and theirs. */
  CW_MERGE_CONFLICT_VALUE_LABEL,
  /* A case is linked to a speaker the document does not have here; the
   * link is not merged. name (case), document, theirs (the speaker). */
  CW_MERGE_CONFLICT_CASE_LINK,
} CwMergeConflictKind;

/* "code-renamed", "document-text", "memo-text", "case-value",
 * "variable-type", "value-label", "case-link" (the JSON "kind"). */
const char *cw_merge_conflict_kind_to_string (CwMergeConflictKind kind);

typedef struct
{
  CwMergeConflictKind  kind;
  char                *file;      /* the other project, as given */
  char                *guid;      /* or NULL */
  char                *name;      /* or NULL */
  char                *document;  /* case-link: our document's name */
  char                *variable;  /* or NULL */
  char                *ours;      /* or NULL */
  char                *theirs;    /* or NULL */
  guint                n_codings; /* document-text: codings not merged */
} CwMergeConflict;

void cw_merge_conflict_free (CwMergeConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwMergeConflict, cw_merge_conflict_free)

/* One translated sentence for a review list, e.g. "Code “Werk/Stage” is
 * called “Werk/Leerbaan” in coder-b.codewerk; kept “Werk/Stage”." */
char *cw_merge_conflict_describe (const CwMergeConflict *conflict);

typedef struct
{
  guint      documents_added;
  guint      documents_matched;
  guint      codes_added;
  guint      codes_matched;
  guint      codings_added;
  guint      codings_skipped;   /* already present, or on a conflicting document */
  guint      memos_added;
  guint      groups_added;
  guint      coders_added;
  guint      cases_added;
  guint      variables_added;
  guint      case_values_added;
  guint      case_links_added;
  GPtrArray *conflicts;         /* CwMergeConflict, in the order found */
  GPtrArray *warnings;          /* char*: what a .qdpx import reported, "FILE: ..." */
  GStrv      files;             /* the merged files, as given */
} CwMergeResult;

void cw_merge_result_free (CwMergeResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwMergeResult, cw_merge_result_free)

/* {"documents": added, "codes": added, "codings_added", "codings_skipped",
 *  "documents_matched", "codes_matched", "memos_added", "groups_added",
 *  "coders_added", "cases_added", "variables_added", "case_values_added",
 *  "case_links_added", "conflicts": [{"kind", "file", ...}], "warnings",
 *  "files"}. The first four are the CLI contract. */
void cw_merge_result_write_json (const CwMergeResult *result,
                                 CwJson              *json);

/* Merges the projects at paths (NULL-terminated, at least one) into self.
 * Errors name the file: CW_PROJECT_ERROR_NOT_FOUND, _NOT_A_PROJECT (not
 * SQLite, not Codewerk's, damaged), _NEWER_VERSION; CW_IMPORT_ERROR for a
 * bad .qdpx; G_IO_ERROR_CANCELLED. Progress: first (i, n_files, file) while
 * the files are opened (a .qdpx is imported then), then (done, total,
 * document) over the documents of all files. */
CwMergeResult *cw_project_merge        (CwProject           *self,
                                        const char * const  *paths,
                                        CwProgressFunc       progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GError             **error);

/* The same in a worker thread on its own connection; progress arrives on
 * the caller's thread-default main context, and self emits "changed" when
 * the merge has committed. */
void           cw_project_merge_async  (CwProject           *self,
                                        const char * const  *paths,
                                        CwProgressFunc       progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
CwMergeResult *cw_project_merge_finish (CwProject           *self,
                                        GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
