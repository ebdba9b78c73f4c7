/* cw-coding.h: codings (a code on [start, end) of a document, by a coder),
 * coders, memos and document groups. Every edit is one transaction and one
 * undo step. */
#pragma once

#include "cw-project.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *guid;
  gint64  document_id;
  char   *document;     /* name */
  gint64  code_id;
  char   *code;         /* path */
  char   *color;
  gint64  coder_id;
  char   *coder;
  gint64  start;        /* character offsets, end exclusive */
  gint64  end;
  char   *created_at;
  char   *speaker;      /* speaker of the turn where the coding starts, or NULL */
  char   *case_id;      /* linked case (cohort issue), or NULL */
  char   *text;         /* the coded text; NULL unless asked for */
  char   *memo;         /* the first memo's text, or NULL */
} CwCoding;

void      cw_coding_free (CwCoding *coding);
CwCoding *cw_coding_copy (const CwCoding *coding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwCoding, cw_coding_free)

/* Coders: created on first use. */
gint64     cw_project_ensure_coder (CwProject   *self,
                                    const char  *name,
                                    GError     **error);
GStrv      cw_project_list_coders  (CwProject   *self,
                                    GError     **error);

/* Codes [start, end) of the document. A category (not codable) is refused,
 * and so are offsets outside the text or start >= end. The same coder,
 * code and range twice is one coding: its id is returned again. memo may be
 * NULL; with coder NULL the "coder" setting's default "Codeur" is used. */
gint64     cw_project_add_coding    (CwProject   *self,
                                     gint64       document_id,
                                     gint64       code_id,
                                     gint64       start,
                                     gint64       end,
                                     const char  *coder,
                                     const char  *memo,
                                     GError     **error);
gboolean   cw_project_remove_coding (CwProject   *self,
                                     gint64       id,
                                     GError     **error);
CwCoding  *cw_project_get_coding    (CwProject   *self,
                                     gint64       id,
                                     GError     **error);
/* A document's codings by start, then end (what the transcript view
 * draws); text is not filled in. */
GPtrArray *cw_project_list_document_codings (CwProject  *self,
                                             gint64      document_id,
                                             GError    **error);

/* Memos */
typedef enum
{
  CW_MEMO_PROJECT,
  CW_MEMO_DOCUMENT,
  CW_MEMO_CODE,
  CW_MEMO_CODING,
} CwMemoTarget;

typedef struct
{
  gint64        id;
  char         *guid;
  CwMemoTarget  target;
  gint64        target_id; /* 0 for the project */
  char         *title;
  char         *text;
  char         *author;
  char         *created_at;
  char         *modified_at;
} CwMemo;

void cw_memo_free (CwMemo *memo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwMemo, cw_memo_free)

gint64     cw_project_add_memo     (CwProject     *self,
                                    CwMemoTarget   target,
                                    gint64         target_id,
                                    const char    *title,
                                    const char    *text,
                                    const char    *author,
                                    GError       **error);
gboolean   cw_project_update_memo  (CwProject     *self,
                                    gint64         id,
                                    const char    *title,
                                    const char    *text,
                                    GError       **error);
gboolean   cw_project_delete_memo  (CwProject     *self,
                                    gint64         id,
                                    GError       **error);
/* target_id 0 with a non-project target lists every memo of that target. */
GPtrArray *cw_project_list_memos   (CwProject     *self,
                                    CwMemoTarget   target,
                                    gint64         target_id,
                                    GError       **error);

/* Document groups: named sets of documents (school, region, wave). */
typedef struct
{
  gint64  id;
  char   *guid;
  char   *name;
  GArray *document_ids; /* gint64 */
} CwDocumentGroup;

void cw_document_group_free (CwDocumentGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwDocumentGroup, cw_document_group_free)

gint64     cw_project_add_group             (CwProject   *self,
                                             const char  *name,
                                             GError     **error);
gboolean   cw_project_rename_group          (CwProject   *self,
                                             gint64       id,
                                             const char  *name,
                                             GError     **error);
gboolean   cw_project_delete_group          (CwProject   *self,
                                             gint64       id,
                                             GError     **error);
gboolean   cw_project_group_add_document    (CwProject   *self,
                                             gint64       group_id,
                                             gint64       document_id,
                                             GError     **error);
gboolean   cw_project_group_remove_document (CwProject   *self,
                                             gint64       group_id,
                                             gint64       document_id,
                                             GError     **error);
GPtrArray *cw_project_list_groups           (CwProject   *self,
                                             GError     **error);
gint64     cw_project_lookup_group          (CwProject   *self,
                                             const char  *name,
                                             GError     **error);

G_END_DECLS
