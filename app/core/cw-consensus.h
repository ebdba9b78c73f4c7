/* cw-consensus.h: resolving a disagreement between coders by accepting
 * one coder's version of a place (or all versions) into a consensus coder.
 *
 * What a reviewer means by "Lotte is right here" is Lotte's segment as she
 * drew it, not the sliver where the coders differ: a place is often only
 * the few words by which two segments miss each other. So accepting copies
 * the accepted coder's codings of the code that overlap or touch the place,
 * with their full ranges (several united where they overlap or touch);
 * accepting all versions copies the union of every compared coder's.
 *
 * Accepting replaces an earlier decision at the same place: the consensus
 * coder's codings of the code that overlap or touch the place and are not
 * part of the accepted version are removed. Accepting the version of a coder who
 * did not code the place therefore means "not coded here". Accepting the
 * same version twice changes nothing and makes no undo step.
 */
#pragma once

#include "cw-agreement.h"

G_BEGIN_DECLS

/* The consensus coder's name when none is given (the window passes its
 * translation). */
#define CW_CONSENSUS_DEFAULT_CODER "Consensus"

/* Accepts, at place (its document, code, start and end; the rest is not
 * read), the version of coders[accepted], or with accepted < 0 the union of
 * all coders' versions, into the coder named consensus (created if new;
 * NULL: CW_CONSENSUS_DEFAULT_CODER). coders: the compared coders' names
 * (at least one); consensus must not be one of them.
 *
 * One undo step ("Accept Lotte’s coding"), or none when nothing changes.
 * n_added and n_removed (may be NULL) count the consensus codings added and
 * removed. Errors: CW_PROJECT_ERROR_NOT_FOUND for an unknown document,
 * code or coder; CW_PROJECT_ERROR_INVALID for a bad index, a consensus
 * coder among the compared ones, a place outside the document. */
gboolean cw_project_accept_disagreement (CwProject             *self,
                                         const CwDisagreement  *place,
                                         const char * const    *coders,
                                         int                    accepted,
                                         const char            *consensus,
                                         guint                 *n_added,
                                         guint                 *n_removed,
                                         GError               **error);

/* How far the consensus coder's codings of the place's code cover the
 * place: 0 none, 1 partly, 2 entirely; -1 on error (also when the consensus
 * coder does not exist yet: 0). */
int      cw_project_consensus_coverage  (CwProject             *self,
                                         const CwDisagreement  *place,
                                         const char            *consensus,
                                         GError               **error);

G_END_DECLS
