/* cw-retrieval-view-private.h: the retrieval view's insides, for the tests. */
#pragma once

#include "cw-case-condition.h"
#include "cw-coding.h"
#include "cw-retrieval-view.h"

G_BEGIN_DECLS

/* One row of the results: a segment and the text around it. */
#define CW_TYPE_SEGMENT_ITEM (cw_segment_item_get_type ())
G_DECLARE_FINAL_TYPE (CwSegmentItem, cw_segment_item, CW, SEGMENT_ITEM, GObject)

const CwCoding *_cw_segment_item_get_segment (CwSegmentItem *self);
/* Context in the same turn (or line), "…" where it was cut short. */
const char     *_cw_segment_item_get_before  (CwSegmentItem *self);
const char     *_cw_segment_item_get_after   (CwSegmentItem *self);
/* Seconds "Play From Here" plays the segment from; < 0 when its document
 * has no recording (or its file is missing) or its turn no time: then the
 * row shows no play button. */
double          _cw_segment_item_get_play_time (CwSegmentItem *self);

/* CwSegmentItem, in the order shown. */
GListModel  *_cw_retrieval_view_get_segments        (CwRetrievalView *self);
GtkListView *_cw_retrieval_view_get_list_view       (CwRetrievalView *self);
/* A retrieval or an export is scheduled or running. */
gboolean     _cw_retrieval_view_is_busy             (CwRetrievalView *self);
const char  *_cw_retrieval_view_get_count_text      (CwRetrievalView *self);
const char  *_cw_retrieval_view_get_last_message    (CwRetrievalView *self);
GtkDropDown *_cw_retrieval_view_get_combine_dropdown (CwRetrievalView *self);
GtkDropDown *_cw_retrieval_view_get_coder_dropdown  (CwRetrievalView *self);
GtkDropDown *_cw_retrieval_view_get_speaker_dropdown (CwRetrievalView *self);
GtkDropDown *_cw_retrieval_view_get_kind_dropdown   (CwRetrievalView *self);
GtkSwitch   *_cw_retrieval_view_get_subcodes_switch (CwRetrievalView *self);
GtkMenuButton *_cw_retrieval_view_get_codes_button (CwRetrievalView *self);
/* The code chooser's check button for a code, or NULL. */
GtkCheckButton *_cw_retrieval_view_get_code_check   (CwRetrievalView *self,
                                                     gint64           code_id);
/* The Cases filter. */
GtkMenuButton *_cw_retrieval_view_get_cases_button  (CwRetrievalView *self);
GtkEditable *_cw_retrieval_view_get_condition_entry (CwRetrievalView *self);
/* All (AND, 0) or any (OR, 1) of the builder's rows. */
GtkDropDown *_cw_retrieval_view_get_match_dropdown  (CwRetrievalView *self);
/* The message under the entry, "" when the condition is fine. */
const char  *_cw_retrieval_view_get_condition_error (CwRetrievalView *self);
/* The condition applied (canonical), or NULL. */
const char  *_cw_retrieval_view_get_case_condition  (CwRetrievalView *self);
/* "9 of 20 cases" beside the Cases button, "" without a condition. */
const char  *_cw_retrieval_view_get_cases_count_text (CwRetrievalView *self);
/* The rows show the condition (it is a flat AND or OR list). */
gboolean     _cw_retrieval_view_get_rows_shown      (CwRetrievalView *self);
guint        _cw_retrieval_view_get_n_condition_rows (CwRetrievalView *self);
/* Chooses the variable, operator and value of builder row index (added
 * with the retrieval.add-condition action) as a user would. */
void         _cw_retrieval_view_set_condition_row   (CwRetrievalView     *self,
                                                     guint                index,
                                                     const char          *variable,
                                                     CwConditionOperator  op,
                                                     const char          *value);
/* The query in words, as the report's subtitle has it. */
char        *_cw_retrieval_view_describe_query      (CwRetrievalView *self);
/* What the Export buttons do after their file dialog. */
void         _cw_retrieval_view_export_csv          (CwRetrievalView *self,
                                                     GFile           *file);
void         _cw_retrieval_view_export_report       (CwRetrievalView *self,
                                                     GFile           *file);
/* The same with the dialogs' "Pseudonymise with the pseudonym table"
 * choice: segments, names, case ids and the query's words pseudonymised
 * (cw_project_pseudonymise_segments). */
void         _cw_retrieval_view_export_csv_full     (CwRetrievalView *self,
                                                     GFile           *file,
                                                     gboolean         pseudonymise);
void         _cw_retrieval_view_export_report_full  (CwRetrievalView *self,
                                                     GFile           *file,
                                                     gboolean         pseudonymise);

G_END_DECLS
