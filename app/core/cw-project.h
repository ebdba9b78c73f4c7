/* cw-project.h: a Codewerk project, one SQLite file.
 *
 * A CwProject owns one SQLite connection and must be used from one thread
 * at a time. Work in another thread opens its own CwProject on the same path
 * (the _async functions below do that); WAL lets readers and one writer
 * share the file.
 *
 * Signal "changed" (no arguments): an edit through this object, or an undo
 * or redo, has been committed; or cw_project_poll_external_change() found
 * that another connection has. cw_project_get_coding_changes() tells a
 * handler when only a few codings changed.
 *
 * Several programs may have the file open at once (the window, codewerk-cli,
 * a second window): every write takes the write lock before it reads
 * (BEGIN IMMEDIATE, or one statement on its own), so writers queue for the
 * lock (waiting up to 10 s) instead of failing, and readers never wait for
 * writers (WAL). Signal "external-change" (gboolean
 * other_program): cw_project_poll_external_change() saw another
 * connection's commit; see there.
 */
#pragma once

#include <gio/gio.h>

#include "cw-types.h"

G_BEGIN_DECLS

#define CW_PROJECT_ERROR (cw_project_error_quark ())

typedef enum
{
  CW_PROJECT_ERROR_EXISTS,         /* new: the file is already there */
  CW_PROJECT_ERROR_NOT_FOUND,      /* no such project file, document, ... */
  CW_PROJECT_ERROR_NOT_A_PROJECT,  /* not SQLite, or not Codewerk's */
  CW_PROJECT_ERROR_NEWER_VERSION,  /* written by a newer Codewerk */
  CW_PROJECT_ERROR_DATABASE,       /* SQLite failed */
  CW_PROJECT_ERROR_INVALID,        /* a bad argument: an empty search, ... */
} CwProjectError;

/* The schema version this build writes and reads (PRAGMA user_version). */
#define CW_PROJECT_SCHEMA_VERSION 5
/* PRAGMA application_id: "CWRK" */
#define CW_PROJECT_APPLICATION_ID 0x4357524B

typedef struct
{
  gint64          id;
  char           *guid;
  char           *name;          /* unique in the project */
  CwDocumentKind  kind;
  char           *original_name; /* the imported file's name */
  char           *imported_at;   /* ISO 8601, UTC */
  gint64          characters;
  guint           n_turns;
  char          **speakers;      /* in order of first appearance */
} CwDocumentInfo;

void            cw_document_info_free (CwDocumentInfo *info);
CwDocumentInfo *cw_document_info_copy (const CwDocumentInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwDocumentInfo, cw_document_info_free)

/* A document as the transcript view needs it. */
typedef struct
{
  CwDocumentInfo *info;
  char           *text;
  GPtrArray      *turns; /* CwTurn */
} CwDocument;

void cw_document_free (CwDocument *document);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwDocument, cw_document_free)

typedef struct
{
  gint64  document_id;
  char   *document;   /* name */
  gint64  start;      /* character offsets of the hit */
  gint64  end;
  char   *snippet;    /* the hit with some context, on one line */
  gint64  snippet_hit_start; /* the hit's place in snippet, in characters */
  gint64  snippet_hit_end;
} CwSearchHit;

void cw_search_hit_free (CwSearchHit *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwSearchHit, cw_search_hit_free)

#define CW_TYPE_PROJECT (cw_project_get_type ())
G_DECLARE_FINAL_TYPE (CwProject, cw_project, CW, PROJECT, GObject)

GQuark      cw_project_error_quark (void);

/* Creates a new project file; refuses to overwrite anything. */
CwProject  *cw_project_create   (const char  *path,
                                 const char  *title,
                                 GError     **error);
/* Opens an existing project; migrates an older schema forward. */
CwProject  *cw_project_open     (const char  *path,
                                 GError     **error);

/* Whether another connection (another program, or a worker or window of
 * this one) committed to the file since the last poll: PRAGMA data_version,
 * one quick read that never waits for a lock. When it did, emits
 * "external-change" (other_program FALSE when the commit may have been this
 * process's own), then "document-text-changed" (0) and "changed", and
 * returns TRUE. Cheap enough to call every second from the main loop. */
gboolean    cw_project_poll_external_change (CwProject *self);

const char *cw_project_get_path  (CwProject   *self);
const char *cw_project_get_title (CwProject   *self);
gboolean    cw_project_set_title (CwProject   *self,
                                  const char  *title,
                                  GError     **error);

GPtrArray  *cw_project_list_documents (CwProject  *self,
                                       GError    **error);
/* The same without counting each document's turns (n_turns is 0): what the
 * window lists, at a fraction of the cost on a large project. */
GPtrArray  *cw_project_list_documents_brief (CwProject  *self,
                                             GError    **error);
CwDocumentInfo *cw_project_get_document_info (CwProject  *self,
                                              gint64      id,
                                              GError    **error);
/* DOC as the CLI takes it: a numeric id or a document name. 0 and an error
 * when there is no such document. */
gint64      cw_project_lookup_document (CwProject   *self,
                                        const char  *id_or_name,
                                        GError     **error);
char       *cw_project_get_text  (CwProject  *self,
                                  gint64      id,
                                  GError    **error);
GPtrArray  *cw_project_get_turns (CwProject  *self,
                                  gint64      id,
                                  GError    **error);
CwDocument *cw_project_load_document (CwProject  *self,
                                      gint64      id,
                                      GError    **error);
gboolean    cw_project_set_document_kind (CwProject       *self,
                                          gint64           id,
                                          CwDocumentKind   kind,
                                          GError         **error);

/* Imports files in one transaction: all or none. kind < 0 guesses each
 * file's kind. Returns the new documents' ids (gint64). */
GArray     *cw_project_import (CwProject       *self,
                               GPtrArray       *files,
                               int              kind,
                               CwProgressFunc   progress,
                               gpointer         progress_data,
                               GCancellable    *cancellable,
                               GError         **error);

/* Full-text search: words (all must occur), "a phrase", prefix*, OR, NOT;
 * diacritics folded. document_id 0 searches all documents; limit 0 means
 * no limit. Hits in document order, then by offset. */
GPtrArray  *cw_project_search (CwProject     *self,
                               const char    *query,
                               gint64         document_id,
                               guint          limit,
                               GCancellable  *cancellable,
                               GError       **error);

/* A coding that an edit added, removed or changed (see
 * cw_project_get_coding_changes). */
typedef struct
{
  gint64 coding_id;
  gint64 old_document_id; /* 0: the coding is new */
  gint64 old_code_id;
  gint64 new_document_id; /* 0: the coding is gone */
  gint64 new_code_id;
} CwCodingChange;

/* For handlers of "changed" that can follow a small edit without reading
 * everything again. When the change being emitted touched nothing but
 * codings (its undo step aside), returns the codings it added, removed or
 * changed (CwCodingChange, in the order made; possibly none, after an undo
 * that failed). It may list more than happened (a change rolled back): read
 * what the rows hold now. Returns NULL when it touched anything else, more
 * codings than are worth listing, or when that cannot be known: another
 * connection's commit, or a "changed" the core did not emit (then anything
 * may have changed). Borrowed; valid until the handler returns. */
GArray     *cw_project_get_coding_changes (CwProject *self);

/* Off-thread variants: each opens its own connection to the same file.
 * progress is called on the thread-default main context of the caller. */
void        cw_project_import_async  (CwProject           *self,
                                      GPtrArray           *files,
                                      int                  kind,
                                      CwProgressFunc       progress,
                                      gpointer             progress_data,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GArray     *cw_project_import_finish (CwProject     *self,
                                      GAsyncResult  *result,
                                      GError       **error);

void        cw_project_search_async  (CwProject           *self,
                                      const char          *query,
                                      gint64               document_id,
                                      guint                limit,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GPtrArray  *cw_project_search_finish (CwProject     *self,
                                      GAsyncResult  *result,
                                      GError       **error);

void        cw_project_load_document_async  (CwProject           *self,
                                             gint64               id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
CwDocument *cw_project_load_document_finish (CwProject     *self,
                                             GAsyncResult  *result,
                                             GError       **error);

G_END_DECLS
