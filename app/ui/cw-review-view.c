/* cw-review-view.c: reviewing disagreements side by side.
 *
 * A page of the window's view stack rather than a window of its own: the
 * reviewer needs the window's undo (Ctrl+Z), its toasts and, between two
 * places, the Documents view for context, and a second window over the
 * first would hide exactly that.
 *
 * The list is made in a worker with its own CwProject (the disagreements
 * of every compared document, a snippet of each and whether the consensus
 * already covers it) and made again on every ::changed of the project, so
 * that it follows accepts, undo and redo. The text and the lanes are the
 * selected place's document; its codings are one short query.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "cw-agreement-dialog.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-consensus.h"
#include "cw-review-view-private.h"
#include "cw-speaker-color.h"

#define SNIPPET_CONTEXT 30
#define SNIPPET_MAX 140

/* One disagreement in the list. */
#define CW_TYPE_REVIEW_ITEM (cw_review_item_get_type ())
G_DECLARE_FINAL_TYPE (CwReviewItem, cw_review_item, CW, REVIEW_ITEM, GObject)

struct _CwReviewItem
{
  GObject         parent_instance;

  CwDisagreement *place;
  char           *snippet; /* markup, the place in bold */
  char           *color;
  int             coverage;
};

G_DEFINE_FINAL_TYPE (CwReviewItem, cw_review_item, G_TYPE_OBJECT)

static void
cw_review_item_finalize (GObject *object)
{
  CwReviewItem *self = CW_REVIEW_ITEM (object);

  g_clear_pointer (&self->place, cw_disagreement_free);
  g_free (self->snippet);
  g_free (self->color);
  G_OBJECT_CLASS (cw_review_item_parent_class)->finalize (object);
}

static void
cw_review_item_class_init (CwReviewItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cw_review_item_finalize;
}

static void
cw_review_item_init (CwReviewItem *self)
{
}

struct _CwReviewView
{
  GtkWidget           parent_instance;

  /* template */
  GtkStack           *stack;
  AdwStatusPage      *empty_page;
  GtkWidget          *empty_button;
  GtkSpinner         *spinner;
  GtkPaned           *paned;
  GtkLabel           *count_label;
  GtkLabel           *coders_label;
  GtkListView        *list_view;
  GtkLabel           *place_title;
  GtkLabel           *place_subtitle;
  GtkBox             *accept_box;
  GtkTextView        *text_view;

  /* borrowed */
  CwReviewLanes      *lanes;    /* the text view's gutter */
  GtkTextTag         *place_tag;

  /* owned */
  CwProject          *project;
  CwAgreementOptions *options;
  char               *consensus;
  GListStore         *items;     /* CwReviewItem */
  GtkSingleSelection *selection;
  GHashTable         *code_ids;  /* compared codes (gint64 *), NULL: all */
  CwDocument         *document;
  GCancellable       *list_cancellable;
  GCancellable       *load_cancellable;
  GHashTable         *speaker_colors;
  gint64              pending_document;
};

enum
{
  MESSAGE,
  ACCEPTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwReviewView, cw_review_view, GTK_TYPE_WIDGET)

static void show_selected (CwReviewView *self);

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    {
      g_cancellable_cancel (*cancellable);
      g_clear_object (cancellable);
    }
}

static void
emit_message (CwReviewView *self,
              const char   *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

static CwReviewItem *
selected_item (CwReviewView *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

/* "Lotte, Ruben" */
static char *
join_coders (const CwDisagreement *place,
             const char * const   *coders,
             gboolean              coded)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < place->n_coders && coders[i] != NULL; i++)
    if (place->coded[i] == coded)
      g_strv_builder_add (builder, coders[i]);
  names = g_strv_builder_end (builder);
  return g_strjoinv (", ", names);
}

/* Who coded the place and who did not. */
static char *
describe_who (const CwDisagreement *place,
              const char * const   *coders)
{
  g_autofree char *yes = join_coders (place, coders, TRUE);
  g_autofree char *no = join_coders (place, coders, FALSE);

  /* Translators: coders who gave the code here, then those who did not. */
  return g_strdup_printf (_("Coded by %s · not by %s"), yes, no);
}

/* The list (worker) */

typedef struct
{
  char               *path;
  CwAgreementOptions *options;
  char               *consensus;
} ListJob;

static void
list_job_free (ListJob *job)
{
  g_free (job->path);
  cw_agreement_options_free (job->options);
  g_free (job->consensus);
  g_free (job);
}

/* A line of context around the place, the place in bold. */
static char *
make_snippet (const char *text,
              gint64      length,
              gint64      start,
              gint64      end)
{
  gint64 from = MAX (0, start - SNIPPET_CONTEXT);
  gint64 to = MIN (length, end + SNIPPET_CONTEXT);
  gint64 place_end = MIN (end, start + SNIPPET_MAX);
  g_autofree char *before = NULL;
  g_autofree char *middle = NULL;
  g_autofree char *after = NULL;
  g_autofree char *markup = NULL;

  /* Context starts and ends at a word, not within one. */
  before = g_utf8_substring (text, from, start);
  middle = g_utf8_substring (text, start, place_end);
  after = g_utf8_substring (text, end, to);
  if (from > 0 && strchr (before, ' ') != NULL)
    memmove (before, strchr (before, ' ') + 1, strlen (strchr (before, ' ') + 1) + 1);
  if (to < length && strrchr (after, ' ') != NULL)
    *strrchr (after, ' ') = '\0';
  g_strdelimit (before, "\r\n\t", ' ');
  g_strdelimit (middle, "\r\n\t", ' ');
  g_strdelimit (after, "\r\n\t", ' ');
  markup = g_markup_printf_escaped ("%s%s<b>%s</b>%s%s%s",
                                    from > 0 ? "…" : "", before, middle,
                                    place_end < end ? "…" : "", after, to < length ? "…" : "");
  return g_steal_pointer (&markup);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ListJob *job = task_data;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) places = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) colors = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) texts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  GPtrArray *items;
  GError *error = NULL;

  project = cw_project_open (job->path, &error);
  if (project == NULL ||
      (codes = cw_project_list_codes (project, &error)) == NULL ||
      (places = cw_project_list_disagreements (project, job->options, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < codes->len; i++)
    {
      CwCode *code = g_ptr_array_index (codes, i);

      g_hash_table_insert (colors, &code->id, code->color);
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < places->len; i++)
    {
      CwDisagreement *place = g_ptr_array_index (places, i);
      CwReviewItem *item = g_object_new (CW_TYPE_REVIEW_ITEM, NULL);
      const char *text = g_hash_table_lookup (texts, &place->document_id);

      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (item);
          g_ptr_array_unref (items);
          return;
        }
      if (text == NULL)
        {
          char *loaded = cw_project_get_text (project, place->document_id, NULL);

          text = loaded != NULL ? loaded : g_strdup ("");
          g_hash_table_insert (texts, &place->document_id, (char *) text);
        }
      item->snippet = make_snippet (text, g_utf8_strlen (text, -1), place->start, place->end);
      item->color = g_strdup (g_hash_table_lookup (colors, &place->code_id));
      item->coverage = cw_project_consensus_coverage (project, place, job->consensus, NULL);
      /* The item takes the place; the array lets go of it. */
      item->place = place;
      g_ptr_array_index (places, i) = NULL;
      g_ptr_array_add (items, item);
    }
  /* The texts' keys point into the places, now owned by the items. */
  g_hash_table_remove_all (texts);
  g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

static void
update_counts (CwReviewView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint decided = 0;
  g_autofree char *count = NULL;
  g_autofree char *coders = NULL;
  g_autofree char *names = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CwReviewItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      decided += item->coverage == 2;
    }
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Disagreement", "%u Disagreements", n), n);
  gtk_label_set_text (self->count_label, count);
  names = g_strjoinv (", ", self->options->coders);
  /* Translators: the coders compared, then how many places the consensus
   * coder has coded as one of them did. */
  coders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u in the consensus", "%s · %u in the consensus",
                                         decided),
                            names, decided);
  gtk_label_set_text (self->coders_label, coders);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  CwReviewView *self = CW_REVIEW_VIEW (source);
  GTask *task = G_TASK (result);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint selected, n;

  if (g_task_get_cancellable (task) != self->list_cancellable)
    return;
  g_clear_object (&self->list_cancellable);
  gtk_spinner_stop (self->spinner);

  items = g_task_propagate_pointer (task, &error);
  if (items == NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->empty_page, _("Could Not List the Disagreements"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_widget_set_visible (self->empty_button, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  /* The same place stays selected across a refresh: accepting and undoing
   * change the consensus, not the compared coders' codings. */
  selected = gtk_single_selection_get_selected (self->selection);
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  n = items->len;
  if (n == 0)
    {
      adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Disagreements"));
      adw_status_page_set_description (self->empty_page,
                                       _("The coders agree on every compared code in every compared document."));
      gtk_widget_set_visible (self->empty_button, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_single_selection_set_selected (self->selection,
                                     selected != GTK_INVALID_LIST_POSITION ? MIN (selected, n - 1) : 0);
  update_counts (self);
  gtk_stack_set_visible_child_name (self->stack, "review");
  show_selected (self);
}

static void
refresh_list (CwReviewView *self)
{
  g_autoptr(GTask) task = NULL;
  ListJob *job;

  if (self->project == NULL || self->options == NULL)
    return;

  cancel_and_clear (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }

  job = g_new0 (ListJob, 1);
  job->path = g_strdup (cw_project_get_path (self->project));
  job->options = cw_agreement_options_copy (self->options);
  job->consensus = g_strdup (self->consensus);
  task = g_task_new (self, self->list_cancellable, list_cb, NULL);
  g_task_set_source_tag (task, refresh_list);
  g_task_set_task_data (task, job, (GDestroyNotify) list_job_free);
  g_task_run_in_thread (task, list_thread);
}

/* The list's rows */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *dot = gtk_label_new (NULL);
  GtkWidget *code = gtk_label_new (NULL);
  GtkWidget *done = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  GtkWidget *where = gtk_label_new (NULL);
  GtkWidget *snippet = gtk_label_new (NULL);
  GtkWidget *who = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (code), 0);
  gtk_label_set_ellipsize (GTK_LABEL (code), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (code, TRUE);
  gtk_widget_add_css_class (code, "heading");
  gtk_widget_set_tooltip_text (done, _("The consensus coder has coded this place"));
  gtk_widget_add_css_class (done, "success");
  gtk_box_append (GTK_BOX (top), dot);
  gtk_box_append (GTK_BOX (top), code);
  gtk_box_append (GTK_BOX (top), done);
  gtk_label_set_xalign (GTK_LABEL (where), 0);
  gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (where, "caption");
  gtk_widget_add_css_class (where, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 2);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (who), 0);
  gtk_label_set_ellipsize (GTK_LABEL (who), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (who, "cw-review-who");
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), where);
  gtk_box_append (GTK_BOX (box), snippet);
  gtk_box_append (GTK_BOX (box), who);
  g_object_set_data (G_OBJECT (box), "dot", dot);
  g_object_set_data (G_OBJECT (box), "code", code);
  g_object_set_data (G_OBJECT (box), "done", done);
  g_object_set_data (G_OBJECT (box), "where", where);
  g_object_set_data (G_OBJECT (box), "snippet", snippet);
  g_object_set_data (G_OBJECT (box), "who", who);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          CwReviewView             *self)
{
  CwReviewItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  const CwDisagreement *place = item->place;
  g_autofree char *dot = NULL;
  g_autofree char *where = NULL;
  g_autofree char *who = describe_who (place, (const char * const *) self->options->coders);

  dot = g_markup_printf_escaped ("<span foreground=\"%s\">●</span>", item->color != NULL ? item->color : "#888888");
  gtk_label_set_markup (g_object_get_data (G_OBJECT (box), "dot"), dot);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "code"), place->code);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "done"), item->coverage == 2);
  g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, place->start);
  g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, place->end);

  /* Translators: a document's name, then where the place starts and ends
   * (character offsets). */
  where = g_strdup_printf (_("%s · %s–%s"), place->document, start, end);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "where"), where);
  gtk_label_set_markup (g_object_get_data (G_OBJECT (box), "snippet"), item->snippet);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "who"), who);
}

/* The document */

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static void
tag_speakers (CwReviewView  *self,
              GtkTextBuffer *buffer)
{
  GPtrArray *turns = self->document->turns;
  g_autoptr(GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);

  g_clear_pointer (&self->speaker_colors, g_hash_table_unref);
  self->speaker_colors = cw_speaker_color_assign ((const char * const *) self->document->info->speakers);
  for (guint i = 0; turns != NULL && i < turns->len; i++)
    {
      const CwTurn *turn = g_ptr_array_index (turns, i);
      GtkTextIter line_start, start;
      GtkTextTag *tag;

      if (turn->speaker == NULL || turn->speaker[0] == '\0')
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) turn->start);
      line_start = start;
      gtk_text_iter_set_line_offset (&line_start, 0);
      if (gtk_text_iter_equal (&line_start, &start))
        continue;
      if ((tag = g_hash_table_lookup (tags, turn->speaker)) == NULL)
        {
          guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->speaker_colors, turn->speaker));
          const char *color = index > 0 ? cw_speaker_color_at (index - 1, is_dark ())
                                        : cw_speaker_color (turn->speaker, is_dark ());

          tag = gtk_text_buffer_create_tag (buffer, NULL, "weight", PANGO_WEIGHT_BOLD, "foreground", color, NULL);
          g_hash_table_insert (tags, turn->speaker, tag);
        }
      gtk_text_buffer_apply_tag (buffer, tag, &line_start, &start);
    }
}

/* The compared coders and the consensus coder, in the lanes' order. */
static GStrv
lane_names (CwReviewView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_addv (builder, (const char **) self->options->coders);
  g_strv_builder_add (builder, self->consensus);
  return g_strv_builder_end (builder);
}

static void
refresh_codings (CwReviewView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  g_auto(GStrv) names = NULL;

  if (self->document == NULL || self->project == NULL || self->options == NULL)
    return;
  all = cw_project_list_document_codings (self->project, self->document->info->id, &error);
  if (all == NULL)
    {
      emit_message (self, error->message);
      return;
    }
  names = lane_names (self);
  shown = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_coding_free);
  for (guint i = 0; i < all->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (all, i);

      if (!g_strv_contains ((const char * const *) names, coding->coder != NULL ? coding->coder : ""))
        continue;
      if (self->code_ids != NULL && !g_hash_table_contains (self->code_ids, &coding->code_id))
        continue;
      g_ptr_array_add (shown, cw_coding_copy (coding));
    }
  cw_review_lanes_set_codings (self->lanes, (const char * const *) names, shown);
}

static void
set_document (CwReviewView *self,
              CwDocument   *document)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);

  g_clear_pointer (&self->document, cw_document_free);
  self->document = document;
  /* A fresh buffer per document, as the transcript view: no tag outlives
   * its text. */
  self->place_tag = gtk_text_buffer_create_tag (buffer, "place",
                                                "background-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 0.22 },
                                                NULL);
  if (document != NULL)
    {
      gtk_text_buffer_set_text (buffer, document->text, -1);
      tag_speakers (self, buffer);
    }
  gtk_text_view_set_buffer (self->text_view, buffer);
  refresh_codings (self);
}

static void
mark_place (CwReviewView *self)
{
  CwReviewItem *item = selected_item (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  GtkTextMark *mark;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->place_tag, &start, &end);
  if (item == NULL || self->document == NULL || self->document->info->id != item->place->document_id)
    {
      cw_review_lanes_set_place (self->lanes, 0, 0, 0);
      return;
    }

  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) item->place->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) item->place->end);
  gtk_text_buffer_apply_tag (buffer, self->place_tag, &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  cw_review_lanes_set_place (self->lanes, item->place->code_id, item->place->start, item->place->end);

  /* Scrolled to once the text is laid out: a mark keeps its place. */
  mark = gtk_text_buffer_get_mark (buffer, "place");
  if (mark == NULL)
    mark = gtk_text_buffer_create_mark (buffer, "place", &start, TRUE);
  else
    gtk_text_buffer_move_mark (buffer, mark, &start);
  gtk_text_view_scroll_to_mark (self->text_view, mark, 0.05, TRUE, 0.0, 0.3);
}

typedef struct
{
  CwReviewView *self;
  GCancellable *cancellable;
} Load;

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(CwReviewView) self = load->self;
  g_autoptr(GCancellable) cancellable = load->cancellable;
  g_autoptr(GError) error = NULL;
  CwDocument *document = cw_project_load_document_finish (CW_PROJECT (source), result, &error);

  g_free (load);
  /* A load that finished although a newer one replaced it. */
  if (cancellable != self->load_cancellable)
    {
      g_clear_pointer (&document, cw_document_free);
      return;
    }
  g_clear_object (&self->load_cancellable);
  if (document == NULL)
    {
      emit_message (self, error->message);
      return;
    }
  self->pending_document = 0;
  set_document (self, document);
  mark_place (self);
}

static void
show_selected (CwReviewView *self)
{
  CwReviewItem *item = selected_item (self);
  const char * const *coders;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *who = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  GtkWidget *button;
  Load *load;
  guint i = 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.accept", item != NULL);
  if (item == NULL || self->options == NULL)
    return;

  coders = (const char * const *) self->options->coders;
  title = g_markup_printf_escaped ("<span foreground=\"%s\">●</span>  %s",
                                   item->color != NULL ? item->color : "#888888", item->place->code);
  gtk_label_set_markup (self->place_title, title);
  who = describe_who (item->place, coders);
  start = g_strdup_printf ("%" G_GINT64_FORMAT, item->place->start);
  end = g_strdup_printf ("%" G_GINT64_FORMAT, item->place->end);
  /* Translators: a document, character offsets, then who coded it. */
  subtitle = g_strdup_printf (_("%s · characters %s–%s · %s"), item->place->document, start, end, who);
  gtk_label_set_text (self->place_subtitle, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->place_subtitle), subtitle);

  /* The coder who coded the place is the likelier choice. */
  for (button = gtk_widget_get_first_child (GTK_WIDGET (self->accept_box)); button != NULL;
       button = gtk_widget_get_next_sibling (button), i++)
    {
      if (i < item->place->n_coders && item->place->coded[i])
        gtk_widget_add_css_class (button, "suggested-action");
      else
        gtk_widget_remove_css_class (button, "suggested-action");
    }

  if (self->document != NULL && self->document->info->id == item->place->document_id)
    {
      /* Back to the document shown before another one finished loading. */
      cancel_and_clear (&self->load_cancellable);
      self->pending_document = 0;
      mark_place (self);
      return;
    }
  if (self->pending_document == item->place->document_id && self->load_cancellable != NULL)
    return;
  cancel_and_clear (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->pending_document = item->place->document_id;
  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->cancellable = g_object_ref (self->load_cancellable);
  cw_project_load_document_async (self->project, item->place->document_id, self->load_cancellable,
                                  load_cb, load);
}

static void
selection_changed_cb (CwReviewView *self)
{
  show_selected (self);
}

/* Actions */

static void
move (CwReviewView *self,
      int           delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint next;

  if (n == 0)
    return;
  if (selected == GTK_INVALID_LIST_POSITION)
    next = delta > 0 ? 0 : n - 1;
  else
    next = (selected + n + (guint) (delta > 0 ? 1 : n - 1)) % n; /* wraps around */
  gtk_single_selection_set_selected (self->selection, next);
  /* GTK 4.8 has no gtk_list_view_scroll_to: the list's own action. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", next);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  move (CW_REVIEW_VIEW (widget), 1);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  move (CW_REVIEW_VIEW (widget), -1);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwReviewView *self = CW_REVIEW_VIEW (widget);
  CwReviewItem *item = selected_item (self);
  int accepted = g_variant_get_int32 (parameter);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint added = 0, removed = 0, n_coders;

  if (item == NULL || self->project == NULL || self->options == NULL)
    return;
  n_coders = g_strv_length (self->options->coders);
  if (accepted >= (int) n_coders)
    return;

  /* Keep the item: accepting makes the project signal ::changed, which
   * starts a refresh of the list. */
  g_object_ref (item);
  if (!cw_project_accept_disagreement (self->project, item->place, (const char * const *) self->options->coders,
                                       accepted, self->consensus, &added, &removed, &error))
    {
      emit_message (self, error->message);
      g_object_unref (item);
      return;
    }
  if (added == 0 && removed == 0)
    message = g_strdup (_("The consensus already has this version"));
  else if (accepted >= 0)
    /* Translators: a coder, then a code. */
    message = g_strdup_printf (_("Accepted %s’s coding of “%s”"), self->options->coders[accepted], item->place->code);
  else
    /* Translators: a code. */
    message = g_strdup_printf (_("Accepted every coding of “%s”"), item->place->code);
  g_object_unref (item);

  if (added == 0 && removed == 0)
    emit_message (self, message);
  else
    g_signal_emit (self, signals[ACCEPTED], 0, message);
}

static void
rebuild_accept_buttons (CwReviewView *self)
{
  GtkWidget *child;
  guint n = g_strv_length (self->options->coders);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accept_box))) != NULL)
    gtk_box_remove (self->accept_box, child);

  for (guint i = 0; i <= n; i++)
    {
      gboolean all = i == n;
      g_autofree char *label = NULL;
      g_autofree char *tooltip = NULL;
      GtkWidget *button;

      if (all)
        label = g_strdup (n == 2 ? _("Accept _Both") : _("Accept _All"));
      else
        /* Translators: a button; the coder whose version to accept. */
        label = g_strdup_printf (_("Accept %s"), self->options->coders[i]);
      button = gtk_button_new_with_mnemonic (label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "review.accept");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", all ? -1 : (int) i);
      if (all)
        tooltip = g_strdup_printf (_("Code the consensus with every coder’s coding here, united (Alt+0)"));
      else if (i < 9)
        /* Translators: a coder, then a digit for the shortcut. */
        tooltip = g_strdup_printf (_("Code the consensus as %s did here (Alt+%u)"), self->options->coders[i], i + 1);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_box_append (self->accept_box, button);
    }
}

/* The object */

static void
project_changed_cb (CwReviewView *self)
{
  refresh_codings (self);
  refresh_list (self);
}

void
cw_review_view_set_project (CwReviewView *self,
                            CwProject    *project)
{
  g_return_if_fail (CW_IS_REVIEW_VIEW (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  cancel_and_clear (&self->list_cancellable);
  cancel_and_clear (&self->load_cancellable);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, project_changed_cb, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);

  g_clear_pointer (&self->options, cw_agreement_options_free);
  g_clear_pointer (&self->code_ids, g_hash_table_unref);
  g_list_store_remove_all (self->items);
  set_document (self, NULL);
  adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
  adw_status_page_set_title (self->empty_page, _("Nothing to Review Yet"));
  adw_status_page_set_description (self->empty_page,
                                   _("Compare two coders in Inter-coder Agreement, then review the places where they differ."));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
cw_review_view_set_options (CwReviewView             *self,
                            const CwAgreementOptions *options,
                            const char               *consensus)
{
  g_return_if_fail (CW_IS_REVIEW_VIEW (self));
  g_return_if_fail (options != NULL && options->coders != NULL);
  g_return_if_fail (consensus != NULL);

  g_clear_pointer (&self->options, cw_agreement_options_free);
  self->options = cw_agreement_options_copy (options);
  g_free (self->consensus);
  self->consensus = g_strdup (consensus);
  g_clear_pointer (&self->code_ids, g_hash_table_unref);
  if (options->code_ids != NULL && options->code_ids->len > 0)
    {
      self->code_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < options->code_ids->len; i++)
        g_hash_table_add (self->code_ids, g_memdup2 (&g_array_index (options->code_ids, gint64, i), sizeof (gint64)));
    }

  g_list_store_remove_all (self->items);
  set_document (self, NULL);
  rebuild_accept_buttons (self);
  refresh_list (self);
}

gboolean
cw_review_view_has_options (CwReviewView *self)
{
  g_return_val_if_fail (CW_IS_REVIEW_VIEW (self), FALSE);

  return self->options != NULL;
}

static void
cw_review_view_dispose (GObject *object)
{
  CwReviewView *self = CW_REVIEW_VIEW (object);

  cancel_and_clear (&self->list_cancellable);
  cancel_and_clear (&self->load_cancellable);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, project_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_REVIEW_VIEW);
  self->lanes = NULL;

  g_clear_object (&self->project);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (cw_review_view_parent_class)->dispose (object);
}

static void
cw_review_view_finalize (GObject *object)
{
  CwReviewView *self = CW_REVIEW_VIEW (object);

  g_clear_pointer (&self->options, cw_agreement_options_free);
  g_clear_pointer (&self->code_ids, g_hash_table_unref);
  g_clear_pointer (&self->document, cw_document_free);
  g_clear_pointer (&self->speaker_colors, g_hash_table_unref);
  g_free (self->consensus);

  G_OBJECT_CLASS (cw_review_view_parent_class)->finalize (object);
}

static void
cw_review_view_class_init (CwReviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_review_view_dispose;
  object_class->finalize = cw_review_view_finalize;

  /**
   * CwReviewView::message:
   * @message: what to tell the user
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CwReviewView::accepted:
   * @message: what was accepted, for a toast with Undo
   */
  signals[ACCEPTED] =
    g_signal_new ("accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-review-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, stack);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, empty_button);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, paned);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, coders_label);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, place_title);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, place_subtitle);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, accept_box);
  gtk_widget_class_bind_template_child (widget_class, CwReviewView, text_view);

  gtk_widget_class_install_action (widget_class, "review.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "review.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "review.accept", "i", accept_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "review.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, GDK_SHIFT_MASK, "review.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "review.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "review.previous", NULL);
  for (guint i = 0; i < 9; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK, "review.accept", "i", (int) i);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_ALT_MASK, "review.accept", "i", -1);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cw-review-view");
}

static void
cw_review_view_init (CwReviewView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *lanes;

  cw_agreement_style_ensure ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (CW_TYPE_REVIEW_ITEM);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->items)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  lanes = cw_review_lanes_new (self->text_view);
  gtk_text_view_set_gutter (self->text_view, GTK_TEXT_WINDOW_RIGHT, lanes);
  self->lanes = CW_REVIEW_LANES (lanes);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.accept", FALSE);
  self->consensus = g_strdup (_("Consensus"));
  set_document (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

CwReviewView *
cw_review_view_new (void)
{
  return g_object_new (CW_TYPE_REVIEW_VIEW, NULL);
}

/* For the tests */

gboolean
_cw_review_view_is_busy (CwReviewView *self)
{
  return self->list_cancellable != NULL || self->load_cancellable != NULL;
}

const char *
_cw_review_view_get_page (CwReviewView *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

guint
_cw_review_view_get_n_disagreements (CwReviewView *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

const CwDisagreement *
_cw_review_view_get_disagreement (CwReviewView *self,
                                  guint         index)
{
  g_autoptr(CwReviewItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), index);

  /* The store keeps the item alive. */
  return item != NULL ? item->place : NULL;
}

int
_cw_review_view_get_coverage (CwReviewView *self,
                              guint         index)
{
  g_autoptr(CwReviewItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), index);

  return item != NULL ? item->coverage : -1;
}

int
_cw_review_view_get_selected (CwReviewView *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  return selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected;
}

GtkListView *
_cw_review_view_get_list_view (CwReviewView *self)
{
  return self->list_view;
}

GtkTextView *
_cw_review_view_get_text_view (CwReviewView *self)
{
  return self->text_view;
}

CwReviewLanes *
_cw_review_view_get_lanes (CwReviewView *self)
{
  return self->lanes;
}

gint64
_cw_review_view_get_document_id (CwReviewView *self)
{
  return self->document != NULL ? self->document->info->id : 0;
}

const char *
_cw_review_view_get_consensus (CwReviewView *self)
{
  return self->consensus;
}
