/* cw-pseudonym.h: the pseudonym table and pseudonymised copies.
 *
 * The table (pseudonyms: real, pseudonym, category) is the project's key:
 * each real string ("Ahmed", "Ahmeds", "Praktijkschool De Brug") is its own
 * row with its replacement ("[Leerling 3]", "[School A]"). It lives only in
 * the researcher's working project; a pseudonymised file never holds it.
 *
 * Matching (for copies and exports): every real string as a whole word
 * (no letter, mark or digit just before or after), case as written, the
 * longest first where two overlap ("Praktijkschool De Brug" before
 * "De Brug"). Codings keep covering the same words: replacing text under a
 * coding follows cw-edit.h's rules (a coding wholly inside a replaced name
 * covers the pseudonym; one that starts or ends inside it is widened to
 * the whole pseudonym).
 *
 * Case ids get stable pseudonymous ids ("C001", "C002", ... in the order
 * the cases were first pseudonymised), remembered in the working project
 * (table case_pseudonyms) so every export gives a case the same id.
 */
#pragma once

#include <gio/gio.h>

#include "cw-project.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *real;
  char   *pseudonym;
  char   *category;  /* "person", "school", "place", "employer", ... or NULL */
} CwPseudonym;

void         cw_pseudonym_free                (CwPseudonym *pseudonym);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwPseudonym, cw_pseudonym_free)

/* Adds a row; real and pseudonym are trimmed and must not be empty, real
 * must not be in the table yet (CW_PROJECT_ERROR_EXISTS) and must not
 * contain a line break. One undo step. Returns the id, 0 on error. */
gint64       cw_project_add_pseudonym         (CwProject    *self,
                                               const char   *real,
                                               const char   *pseudonym,
                                               const char   *category,
                                               GError      **error);
/* Adds n rows (real, pseudonym, category of each; id ignored) at once, as
 * the researcher confirms a list of proposals: one transaction and one
 * undo step, all or none (a row refused as cw_project_add_pseudonym
 * would, or a real string twice in rows, adds nothing). n 0: TRUE. */
gboolean     cw_project_add_pseudonyms        (CwProject                 *self,
                                               const CwPseudonym * const *rows,
                                               guint                      n,
                                               GError                   **error);
/* Changes a row (NULL: keep that field). One undo step. */
gboolean     cw_project_update_pseudonym      (CwProject    *self,
                                               gint64        id,
                                               const char   *real,
                                               const char   *pseudonym,
                                               const char   *category,
                                               GError      **error);
gboolean     cw_project_remove_pseudonym      (CwProject    *self,
                                               gint64        id,
                                               GError      **error);
/* CwPseudonym, by category, then pseudonym, then real. */
GPtrArray   *cw_project_list_pseudonyms       (CwProject    *self,
                                               GError      **error);

/* A string that may need a pseudonym, for the researcher to confirm. */
typedef struct
{
  char  *real;
  char  *source;              /* "speaker", "variable:NAME", "capitalised" */
  char  *category;            /* a guess: "person", "school", "place", ... or NULL */
  char  *suggested_pseudonym; /* e.g. "[Persoon 4]", numbered after the table's own */
  guint  occurrences;         /* whole-word occurrences in the documents */
} CwPseudonymCandidate;

void         cw_pseudonym_candidate_free      (CwPseudonymCandidate *candidate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwPseudonymCandidate, cw_pseudonym_candidate_free)

/* Candidates not yet in the table: speaker names (not roles such as
 * "Interviewer", "Gespreksleider", "Docent", "Moeder van X"'s "Moeder"),
 * text values of case variables that look like names, and capitalised
 * words and runs ("De Brug", "Almere") that are not at a sentence's start
 * and not common Dutch/English words (checked against the Hunspell
 * dictionaries when installed, lower-cased). Most occurrences first. May
 * take a while on a large project: call it from a worker. */
GPtrArray   *cw_project_propose_pseudonyms    (CwProject    *self,
                                               GCancellable *cancellable,
                                               GError      **error);

/* Writes a pseudonymised copy of the project to out_path (refuses to
 * overwrite): every real string of the table replaced in document texts
 * and names, speaker names, memos, code names and descriptions, case ids
 * (stable pseudonymous ids) and text values, group names, the project
 * title; codings moved with their words. The copy holds no pseudonym
 * table, no case id key, no undo history, no word-list entry that is a
 * real string, and no free pages with old text (VACUUM INTO). The working
 * project is not changed except for new stable case ids. */
gboolean     cw_project_write_pseudonymised_copy (CwProject    *self,
                                                  const char   *out_path,
                                                  GCancellable *cancellable,
                                                  GError      **error);

/* Pseudonymises coded segments (CwCoding, e.g. from cw_project_retrieve)
 * in place for an export from the working project: their text as the
 * pseudonymised copy has it, start and end moved to that text (a segment
 * starting or ending inside a name covers its whole pseudonym), document
 * and speaker names, code paths, coders and memos with every real string
 * replaced, case ids replaced by the stable pseudonymous ids (given out
 * now where missing, as for a copy). */
gboolean     cw_project_pseudonymise_segments (CwProject    *self,
                                               GPtrArray    *segments,
                                               GCancellable *cancellable,
                                               GError      **error);
/* text with every real string of the table replaced (a title or a
 * description of a query that goes into an export). */
char        *cw_project_pseudonymise_text     (CwProject    *self,
                                               const char   *text,
                                               GError      **error);

/* The key, for separate safekeeping: a CSV (UTF-8, ';', header
 * real;pseudonym;category) of the table plus the case id mapping (category
 * "case id"). Refuses to overwrite. */
gboolean     cw_project_export_pseudonym_key  (CwProject    *self,
                                               const char   *out_path,
                                               GError      **error);

G_END_DECLS
