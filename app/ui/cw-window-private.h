/* cw-window-private.h: what the tests look at inside a CwWindow. */
#pragma once

#include "cw-cases-view.h"
#include "cw-codebook-panel.h"
#include "cw-crosstab-view.h"
#include "cw-document-list.h"
#include "cw-overview-view.h"
#include "cw-passphrase-dialog.h"
#include "cw-pseudonym-view.h"
#include "cw-retrieval-view.h"
#include "cw-review-view.h"
#include "cw-transcript-view.h"
#include "cw-window.h"

G_BEGIN_DECLS

CwDocumentList   *_cw_window_get_document_list   (CwWindow  *self);
CwTranscriptView *_cw_window_get_transcript_view (CwWindow  *self);
CwCodebookPanel  *_cw_window_get_codebook_panel  (CwWindow  *self);
CwRetrievalView  *_cw_window_get_retrieval_view  (CwWindow  *self);
CwCasesView      *_cw_window_get_cases_view      (CwWindow  *self);
CwCrosstabView   *_cw_window_get_crosstab_view   (CwWindow  *self);
CwPseudonymView  *_cw_window_get_pseudonym_view  (CwWindow  *self);
CwOverviewView   *_cw_window_get_overview_view   (CwWindow  *self);
CwReviewView     *_cw_window_get_review_view     (CwWindow  *self);
/* The project's views: "documents", "retrieval", "cases", "crosstab",
 * "pseudonyms", "overview" and "review". Each page but the documents is
 * built when first shown or when its getter above is called: until then
 * its child is an empty AdwBin, afterwards the bin holds the view. */
AdwViewStack     *_cw_window_get_view_stack      (CwWindow  *self);
GtkSearchEntry   *_cw_window_get_search_entry    (CwWindow  *self);
GtkLabel         *_cw_window_get_search_status   (CwWindow  *self);
GtkLabel         *_cw_window_get_results_status  (CwWindow  *self);
GtkListView      *_cw_window_get_results_list    (CwWindow  *self);
/* CwSearchResult of the last search over all documents. */
GListModel       *_cw_window_get_results         (CwWindow  *self);
/* "empty" or "project". */
const char       *_cw_window_get_page            (CwWindow  *self);
/* The sidebar's page: "documents" or "results". */
const char       *_cw_window_get_sidebar_page    (CwWindow  *self);
/* TRUE while a document loads, a search runs or an import runs. */
gboolean          _cw_window_is_busy             (CwWindow  *self);
/* The text of the last toast (or refusal dialog), NULL when none was shown. */
const char       *_cw_window_get_last_toast      (CwWindow  *self);
/* What the import file chooser does with the files it was given (GFile). */
void              _cw_window_import_files        (CwWindow  *self,
                                                  GPtrArray *files);
/* What the REFI-QDA file choosers do with the file chosen; each starts a
 * worker (the window is busy until it has finished). */
void              _cw_window_export_project_to    (CwWindow  *self,
                                                   GFile     *file);
void              _cw_window_export_codebook_to   (CwWindow  *self,
                                                   GFile     *file);
/* The same, from a pseudonymised copy when pseudonymise (the dialog's
 * "Pseudonymise with the pseudonym table" choice). */
void              _cw_window_export_codebook_to_full (CwWindow *self,
                                                      GFile    *file,
                                                      gboolean  pseudonymise);
void              _cw_window_import_codebook_from (CwWindow  *self,
                                                   GFile     *file);
/* What the matrix file chooser does with the file chosen: the case x
 * code matrix, .csv or .sav by its name, in a worker (busy until done). */
void              _cw_window_export_matrix_to     (CwWindow  *self,
                                                   GFile     *file);
/* The same, pseudonymised (stable case ids, names replaced) when
 * pseudonymise. */
void              _cw_window_export_matrix_to_full (CwWindow *self,
                                                    GFile    *file,
                                                    gboolean  pseudonymise);
/* What the merge file chooser does with the files chosen (GFile): merges
 * them in a worker (busy until done), then a toast or the review dialog;
 * the open project's own file is refused with a message. */
void              _cw_window_merge_files          (CwWindow  *self,
                                                   GPtrArray *files);
/* Creates the project target from qdpx and shows it in this window. */
void              _cw_window_import_project_from  (CwWindow  *self,
                                                   GFile     *qdpx,
                                                   GFile     *target);

/* Issue 10: what the file choosers of the privacy exports do with the
 * file chosen. Each starts a worker (busy until done, then a toast). The
 * encrypted copy first asks for a passphrase: the dialog is returned (NULL
 * when the window is busy), and the copy starts once it is accepted. */
void                _cw_window_export_pseudonymised_project_to (CwWindow *self,
                                                                GFile    *file);
void                _cw_window_write_pseudonymised_copy_to     (CwWindow *self,
                                                                GFile    *file);
CwPassphraseDialog *_cw_window_write_encrypted_copy_to         (CwWindow *self,
                                                                GFile    *file);

/* Issue 11: TRUE while the backup made on opening runs (a worker). */
gboolean            _cw_window_is_backing_up                   (CwWindow   *self);
/* What the backup dialog's confirmed Restore does: restores backup_path in
 * a worker (busy until done), then opens the restored project with a
 * toast, or shows the error. */
void                _cw_window_restore_backup                  (CwWindow   *self,
                                                                const char *backup_path);

G_END_DECLS
