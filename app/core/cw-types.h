/* cw-types.h: small value types shared by the whole core.
 *
 * Offsets everywhere are character offsets: 0-based counts of Unicode code
 * points into a document's stored (NFC, LF) text, end exclusive.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CW_DOCUMENT_KIND_OTHER,
  CW_DOCUMENT_KIND_ARENA,
  CW_DOCUMENT_KIND_FOCUS_GROUP,
  CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW,
  CW_DOCUMENT_KIND_INTERVIEW,
  CW_N_DOCUMENT_KINDS
} CwDocumentKind;

/* "other", "arena", "focus-group", "employer-interview", "interview" */
const char *cw_document_kind_to_string   (CwDocumentKind  kind);
gboolean    cw_document_kind_from_string (const char     *string,
                                          CwDocumentKind *kind);

/* One speaker turn. start/end cover the utterance (after the visible
 * "Name:" label), trailing whitespace excluded. */
typedef struct
{
  char   *speaker; /* NULL for a turn without a speaker (a subtitle cue) */
  gint64  start;
  gint64  end;
  double  time;    /* seconds from the recording's start; < 0 when unknown */
} CwTurn;

CwTurn *cw_turn_new  (const char *speaker,
                      gint64      start,
                      gint64      end,
                      double      time);
CwTurn *cw_turn_copy (const CwTurn *turn);
void    cw_turn_free (CwTurn       *turn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwTurn, cw_turn_free)

/* Called from the thread doing the work; done counts finished items. */
typedef void (*CwProgressFunc) (guint       done,
                                guint       total,
                                const char *current,
                                gpointer    user_data);

G_END_DECLS
