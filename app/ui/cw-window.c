/* cw-window.c: a project's window.
 *
 * One project per window. Everything that touches the disk and can be slow
 * (loading a document, searching, importing) runs through the core's _async
 * functions with a GCancellable per kind of work: a newer request cancels the
 * older one, and closing the window cancels them all.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cw-agreement-dialog.h"
#include "cw-autocode-dialog.h"
#include "cw-backup.h"
#include "cw-backup-dialog.h"
#include "cw-edit.h"
#include "cw-cases.h"
#include "cw-cases-view.h"
#include "cw-codebook.h"
#include "cw-codebook-panel-private.h"
#include "cw-coding.h"
#include "cw-crosstab-view.h"
#include "cw-overview-view.h"
#include "cw-project-private.h"
#include "cw-document-list-private.h"
#include "cw-edit-banner.h"
#include "cw-exchange.h"
#include "cw-history.h"
#include "cw-list-filler.h"
#include "cw-media.h"
#include "cw-crypt.h"
#include "cw-merge-review-dialog.h"
#include "cw-passphrase-dialog.h"
#include "cw-pseudonym-view.h"
#include "cw-player-bar.h"
#include "cw-replace-bar.h"
#include "cw-retrieval-view.h"
#include "cw-review-view.h"
#include "cw-search-result.h"
#include "cw-timestamp-gutter.h"
#include "cw-transcript-view-private.h"
#include "cw-window-private.h"

/* Enough to read through; a narrower query finds the rest. */
#define MAX_RESULTS 500
#define MAX_RECENT 10

/* The project's views beside the documents (see build_page). */
typedef enum
{
  PAGE_RETRIEVAL,
  PAGE_CASES,
  PAGE_CROSSTAB,
  PAGE_PSEUDONYMS,
  PAGE_OVERVIEW,
  PAGE_REVIEW,
  N_PAGES
} Page;

struct _CwWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *window_title;
  GtkButton            *undo_button;
  GtkButton            *redo_button;
  AdwViewStack         *view_stack;
  GtkPaned             *content_paned;
  CwCodebookPanel      *codebook_panel;
  /* The other pages: an empty bin each until first shown or asked for
   * (build_page), then the view in it; NULL until then. */
  AdwBin               *page_bins[N_PAGES];
  CwRetrievalView      *retrieval_view;
  CwCasesView          *cases_view;
  CwCrosstabView       *crosstab_view;
  CwPseudonymView      *pseudonym_view;
  CwOverviewView       *overview_view;
  CwReviewView         *review_view;
  AdwViewStackPage     *review_page; /* hidden until a review starts */
  GtkRevealer          *import_revealer;
  GtkLabel             *import_label;
  GtkProgressBar       *import_progress;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkToggleButton      *search_all_button;
  GtkLabel             *search_status;
  GtkStack             *main_stack;
  GtkWidget            *recent_box;
  GtkListBox           *recent_list;
  GMenu                *recent_section;
  GtkPaned             *paned;
  GtkStack             *sidebar_stack;
  CwDocumentList       *document_list;
  GtkLabel             *results_status;
  GtkListView          *results_list;
  GtkStack             *content_stack;
  AdwStatusPage        *no_document_page;
  GtkWidget            *no_document_import;
  CwTranscriptView     *transcript_view;
  CwReplaceBar         *replace_bar;
  CwPlayerBar          *player_bar;

  /* owned */
  GSettings            *settings;
  CwProject            *project;
  GListStore           *results;
  CwListFiller         *results_filler;
  GCancellable         *load_cancellable;
  GCancellable         *listing_cancellable; /* listing the documents of an older project */
  GCancellable         *sync_cancellable;    /* listing them again after an outside change */
  GCancellable         *highlight_cancellable;
  GCancellable         *results_cancellable;
  GCancellable         *import_cancellable;
  GCancellable         *exchange_cancellable; /* REFI-QDA export or import */
  GCancellable         *matrix_cancellable;   /* case x code matrix export */
  GCancellable         *backup_cancellable;   /* the backup made on open */
  gulong                backup_paint_handler; /* that backup waits for this frame */
  guint                 backup_paint_timeout; /* or this long, whichever comes first */
  GCancellable         *restore_cancellable;  /* restoring a backup */
  gboolean              exchange_is_export;
  char                 *last_toast;
  AdwToast             *coding_toast; /* weak: the last "Coded" toast */
  gboolean              codebook_sized;
  gint64                pending_start;
  gint64                pending_end;
  guint                 poll_id;           /* looks for other programs' commits */
  gint64                last_outside_edit; /* monotonic time, for one toast per burst */
  gboolean              outside_edit_seen; /* by the last poll: another program's commit */
  GArray               *scroll_places;     /* ScrollPlace, kept over a reload */
  gint64                pending_play; /* play from here once loaded (a retrieved segment), or -1 */
};

G_DEFINE_FINAL_TYPE (CwWindow, cw_window, ADW_TYPE_APPLICATION_WINDOW)

static void run_highlight_search (CwWindow *self);
static void run_results_search   (CwWindow *self);
static void sync_documents       (CwWindow *self);
static void sync_documents_aside (CwWindow *self);
static void refresh_recording    (CwWindow *self);
static void start_backup         (CwWindow *self);
static void start_backup_after_paint (CwWindow *self);
static void set_pages_project    (CwWindow *self);
static void visible_page_cb      (CwWindow *self);
static CwRetrievalView *get_retrieval_view (CwWindow *self);
static CwReviewView    *get_review_view    (CwWindow *self);

/* Toasts */

static void
show_toast (CwWindow   *self,
            const char *message,
            guint       timeout)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
coding_toast_dismissed_cb (CwWindow *self,
                           AdwToast *toast)
{
  if (self->coding_toast == toast)
    self->coding_toast = NULL;
}

static gboolean
dismiss_later_cb (gpointer data)
{
  adw_toast_dismiss (ADW_TOAST (data));
  return G_SOURCE_REMOVE;
}

/* A toast with an Undo button; a newer one replaces it rather than queue
 * behind it, so coding quickly does not pile them up. The older one is
 * dismissed once the newer one has pushed it off screen: dismissing a
 * toast while libadwaita 1.2 animates it away crashes. */
static void
show_undo_toast (CwWindow   *self,
                 const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);

  if (self->coding_toast != NULL)
    g_timeout_add_full (G_PRIORITY_DEFAULT, 1000, dismiss_later_cb,
                        g_object_ref (self->coding_toast), g_object_unref);
  adw_toast_set_timeout (toast, 4);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (coding_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  self->coding_toast = toast;
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
cw_window_show_toast (CwWindow   *self,
                      const char *message)
{
  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  show_toast (self, message, 5);
}

void
cw_window_show_error (CwWindow   *self,
                      const char *message)
{
  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Errors name a file and a reason: give time to read them. */
  show_toast (self, message, 12);
}

void
cw_window_show_refusal (CwWindow   *self,
                        const char *heading,
                        const char *message)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (heading != NULL && message != NULL);

  /* Kept as the last message too: whoever asks what was said last (the
   * tests) need not know whether it was a toast or a dialog. */
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);

  /* Translators: the reason (it names the file), then what it means. */
  body = g_strdup_printf (_("%s\n\nNothing was imported: the project is unchanged."), message);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Recent projects */

static char *
display_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *home = g_get_home_dir ();

  if (home != NULL && g_str_has_prefix (dir, home) && (dir[strlen (home)] == '/' || dir[strlen (home)] == '\0'))
    return g_strconcat ("~", dir + strlen (home), NULL);

  return g_steal_pointer (&dir);
}

static void
update_recent (CwWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GMenu) submenu = g_menu_new ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  g_menu_remove_all (self->recent_section);

  for (guint i = 0; recent[i] != NULL && i < MAX_RECENT; i++)
    {
      g_autofree char *name = g_path_get_basename (recent[i]);
      g_autofree char *folder = display_folder (recent[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), folder);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "app.open-recent");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (recent[i]));
      gtk_widget_set_tooltip_text (row, recent[i]);
      gtk_list_box_append (self->recent_list, row);

      g_menu_item_set_action_and_target_value (item, "app.open-recent", g_variant_new_string (recent[i]));
      g_menu_append_item (submenu, item);
    }

  gtk_widget_set_visible (self->recent_box, recent[0] != NULL);
  if (recent[0] != NULL)
    g_menu_append_submenu (self->recent_section, _("Recent Projects"), G_MENU_MODEL (submenu));
}

static void
remember_recent (CwWindow   *self,
                 const char *path)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT; i++)
    {
      if (g_strcmp0 (recent[i], path) == 0)
        continue;
      g_strv_builder_add (builder, recent[i]);
      n++;
    }

  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) updated);
}

/* The project and its documents */

/* Setting a tooltip asks the display server where the pointer is (a round
 * trip): not on every edit when the text stays the same. */
static void
set_tooltip_if_changed (GtkWidget  *widget,
                        const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

/* The buttons say what they would undo or redo. */
static void
update_undo (CwWindow *self)
{
  gboolean can_undo = self->project != NULL && cw_project_can_undo (self->project);
  gboolean can_redo = self->project != NULL && cw_project_can_redo (self->project);
  g_autofree char *undo_label = can_undo ? cw_project_get_undo_label (self->project) : NULL;
  g_autofree char *redo_label = can_redo ? cw_project_get_redo_label (self->project) : NULL;
  g_autofree char *undo_tooltip = NULL;
  g_autofree char *redo_tooltip = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", can_undo);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo", can_redo);

  if (undo_label != NULL)
    /* Translators: the edit that would be undone, as "Add code “Stage”". */
    undo_tooltip = g_strdup_printf (_("Undo: %s (Ctrl+Z)"), undo_label);
  else
    undo_tooltip = g_strdup (_("Undo (Ctrl+Z)"));
  if (redo_label != NULL)
    /* Translators: the edit that would be redone, as "Add code “Stage”". */
    redo_tooltip = g_strdup_printf (_("Redo: %s (Shift+Ctrl+Z)"), redo_label);
  else
    redo_tooltip = g_strdup (_("Redo (Shift+Ctrl+Z)"));
  set_tooltip_if_changed (GTK_WIDGET (self->undo_button), undo_tooltip);
  set_tooltip_if_changed (GTK_WIDGET (self->redo_button), redo_tooltip);
}

/* The codings of the document shown: one short query. */
static void
refresh_codings (CwWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  gint64 id = cw_transcript_view_get_document_id (self->transcript_view);

  if (self->project == NULL || id == 0)
    return;

  codings = cw_project_list_document_codings (self->project, id, &error);
  if (codings == NULL)
    {
      cw_window_show_error (self, error->message);
      return;
    }
  cw_transcript_view_set_codings (self->transcript_view, codings);
}

/* More codings of the shown document than this in one change: they are
 * all read again (one query) rather than one by one. */
#define MAX_FOLLOWED_CODINGS 32

/* Only codings changed (one applied or removed, or its undo): the shown
 * document takes just those, read again, instead of all its codings.
 * FALSE when that could not be done (the caller reloads them all). */
static gboolean
follow_coding_changes (CwWindow *self,
                       GArray   *changes)
{
  gint64 id = cw_transcript_view_get_document_id (self->transcript_view);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) codings = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_coding_free);

  if (id == 0)
    return TRUE;
  /* Editing moves codings with the text: that path reads them all. */
  if (cw_transcript_view_get_editing (self->transcript_view))
    return FALSE;

  for (guint i = 0; i < changes->len; i++)
    {
      const CwCodingChange *change = &g_array_index (changes, CwCodingChange, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(CwCoding) coding = NULL;
      gboolean seen = FALSE;

      if (change->old_document_id != id && change->new_document_id != id)
        continue;
      for (guint k = 0; k < ids->len && !seen; k++)
        seen = g_array_index (ids, gint64, k) == change->coding_id;
      if (seen)
        continue;
      if (ids->len == MAX_FOLLOWED_CODINGS)
        return FALSE;
      g_array_append_val (ids, change->coding_id);

      /* What the row holds now, whatever the change said. */
      coding = cw_project_get_coding (self->project, change->coding_id, &error);
      if (coding == NULL && !g_error_matches (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND))
        return FALSE;
      if (coding != NULL && coding->document_id == id)
        g_ptr_array_add (codings, g_steal_pointer (&coding));
    }
  if (ids->len > 0)
    _cw_transcript_view_update_codings (self->transcript_view, ids, codings);
  return TRUE;
}

static void
refresh_codes (CwWindow *self)
{
  /* The panel has just read them on the same ::changed. */
  GPtrArray *codes = cw_codebook_panel_get_codes (self->codebook_panel);

  cw_transcript_view_set_codes (self->transcript_view, codes);
}

/* Every edit, undo and redo through the project: the codebook panel
 * follows on its own, the rest here. */
static void
project_changed_cb (CwWindow *self)
{
  GArray *changes;

  /* A keystroke in edit mode: the transcript follows on its own, and
   * reading the codebook and codings for each would slow typing down. */
  if (_cw_transcript_view_is_applying_edit (self->transcript_view))
    {
      update_undo (self);
      return;
    }

  /* Only codings changed: the codebook panel has counted them again, the
   * recording is as it was. */
  changes = cw_project_get_coding_changes (self->project);
  if (changes != NULL && follow_coding_changes (self, changes))
    {
      refresh_codes (self);
      update_undo (self);
      return;
    }

  refresh_codes (self);
  refresh_codings (self);
  refresh_recording (self);
  update_undo (self);
}

/* Changes made outside this window (codewerk-cli, another window) */

/* One toast for a burst of outside edits: a script coding 300 fragments
 * in a row says so once. */
#define OUTSIDE_BURST_USEC (10 * G_USEC_PER_SEC)

typedef struct
{
  GtkAdjustment *adjustment;
  double         value;
  guint          frames; /* of the first place: frames restored so far */
} ScrollPlace;

static void
scroll_place_clear (gpointer data)
{
  ScrollPlace *place = data;

  g_clear_object (&place->adjustment);
}

static void
collect_scroll_places (GtkWidget *widget,
                       GArray    *places)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      if (GTK_IS_SCROLLED_WINDOW (child))
        {
          ScrollPlace place;

          place.adjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child)));
          place.value = gtk_adjustment_get_value (place.adjustment);
          place.frames = 0;
          g_array_append_val (places, place);
        }
      collect_scroll_places (child, places);
    }
}

/* Lists rebuilt from the project start at the top again: put every
 * scrolled view back where the user had it, now and once the new rows
 * have their size. */
static void
restore_scroll_places (GArray *places)
{
  for (guint i = 0; i < places->len; i++)
    {
      ScrollPlace *place = &g_array_index (places, ScrollPlace, i);

      gtk_adjustment_set_value (place->adjustment, place->value);
    }
}

/* A list asked to scroll to its selected row does so at its next layout:
 * put the places back over the next few frames. */
#define RESTORE_FRAMES 3

static gboolean
restore_scroll_places_late (GtkWidget     *widget,
                            GdkFrameClock *clock,
                            gpointer       data)
{
  GArray *places = data;
  guint *frames = &g_array_index (places, ScrollPlace, 0).frames;

  restore_scroll_places (places);
  return ++*frames < RESTORE_FRAMES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The project saw another connection's commit: ::changed follows and
 * refreshes the codebook, the codings shown, the views and undo; the
 * document list is looked at here. */
static void
external_change_cb (CwWindow *self,
                    gboolean  other_program)
{
  gint64 now = g_get_monotonic_time ();

  if (self->scroll_places == NULL)
    {
      self->scroll_places = g_array_new (FALSE, FALSE, sizeof (ScrollPlace));
      g_array_set_clear_func (self->scroll_places, scroll_place_clear);
      collect_scroll_places (GTK_WIDGET (self), self->scroll_places);
    }
  sync_documents_aside (self);

  if (!other_program)
    return;
  self->outside_edit_seen = TRUE;
  /* The Undo of a "Coded" toast would now undo the other program's step. */
  if (self->coding_toast != NULL)
    g_timeout_add_full (G_PRIORITY_DEFAULT, 1000, dismiss_later_cb,
                        g_object_ref (self->coding_toast), g_object_unref);
  if (now - self->last_outside_edit > OUTSIDE_BURST_USEC)
    {
      AdwToast *toast = adw_toast_new (_("Project changed outside Codewerk; updated"));

      g_free (self->last_toast);
      self->last_toast = g_strdup (adw_toast_get_title (toast));
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_timeout (toast, 4);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  self->last_outside_edit = now;
}

/* Returns TRUE when something changed (and the window has followed). */
static gboolean
poll_outside_changes (CwWindow *self)
{
  gboolean changed;

  if (self->project == NULL)
    return FALSE;
  changed = cw_project_poll_external_change (self->project);
  if (self->scroll_places != NULL && self->scroll_places->len == 0)
    g_clear_pointer (&self->scroll_places, g_array_unref);
  if (self->scroll_places != NULL)
    {
      restore_scroll_places (self->scroll_places);
      gtk_widget_add_tick_callback (GTK_WIDGET (self), restore_scroll_places_late,
                                    g_steal_pointer (&self->scroll_places), (GDestroyNotify) g_array_unref);
    }
  return changed;
}

static gboolean
poll_timeout_cb (gpointer data)
{
  poll_outside_changes (CW_WINDOW (data));
  return G_SOURCE_CONTINUE;
}

/* Coming back to the window after working elsewhere: look at once. */
static void
active_changed_cb (CwWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    poll_outside_changes (self);
}

/* Undo and redo act on the newest step in the project, whoever made it:
 * when another program has just written, show that first rather than undo
 * something the user did not expect. This window's own workers do not
 * count. */
static gboolean
outside_change_before_undo (CwWindow *self,
                            gboolean  redo)
{
  g_autofree char *label = NULL;
  g_autofree char *message = NULL;

  self->outside_edit_seen = FALSE;
  if (!poll_outside_changes (self) || !self->outside_edit_seen)
    return FALSE;
  label = redo ? cw_project_get_redo_label (self->project) : cw_project_get_undo_label (self->project);
  if (label == NULL)
    message = g_strdup (_("Project changed outside Codewerk; updated"));
  else if (redo)
    /* Translators: the edit that Redo would now redo, as "Add code “Stage”". */
    message = g_strdup_printf (_("Project changed outside Codewerk; updated. Redo again to redo “%s”"), label);
  else
    /* Translators: the edit that Undo would now undo, as "Add code “Stage”". */
    message = g_strdup_printf (_("Project changed outside Codewerk; updated. Undo again to undo “%s”"), label);
  show_toast (self, message, 6);
  return TRUE;
}

static void
code_requested_cb (CwWindow *self,
                   gint64    code_id,
                   gboolean  snap)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) code = NULL;
  g_autofree char *coder = NULL;
  g_autofree char *message = NULL;
  gint64 document_id = cw_transcript_view_get_document_id (self->transcript_view);
  gint64 start, end;

  if (self->project == NULL || document_id == 0)
    return;

  if (!cw_transcript_view_get_coding_range (self->transcript_view, snap, &start, &end))
    {
      cw_window_show_toast (self, _("Select the text to code first"));
      return;
    }

  code = cw_project_get_code (self->project, code_id, &error);
  if (code == NULL)
    {
      cw_window_show_error (self, error->message);
      return;
    }

  coder = g_settings_get_string (self->settings, "coder");
  if (cw_project_add_coding (self->project, document_id, code_id, start, end,
                             coder[0] != '\0' ? coder : NULL, NULL, &error) == 0)
    {
      cw_window_show_error (self, error->message);
      return;
    }

  /* Keep the selection, snapped, without scrolling: the same text often
   * gets a second code. */
  if (snap)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->transcript_view));
      GtkTextIter start_iter, end_iter;

      gtk_text_buffer_get_iter_at_offset (buffer, &start_iter, (int) start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end_iter, (int) end);
      gtk_text_buffer_select_range (buffer, &start_iter, &end_iter);
    }

  /* Translators: the code just applied to the selected text. */
  message = g_strdup_printf (_("Coded “%s”"), code->name);
  show_undo_toast (self, message);
}

/* A click on a code in the codebook codes the selection, if there is one:
 * without one the click only selects the code, with no complaint. */
static void
code_chosen_cb (CwWindow *self,
                gint64    code_id,
                gboolean  snap)
{
  gint64 start, end;

  if (!cw_transcript_view_get_coding_range (self->transcript_view, snap, &start, &end))
    return;
  code_requested_cb (self, code_id, snap);
}

static void
remove_coding_cb (CwWindow *self,
                  gint64    coding_id)
{
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;

  if (!cw_project_remove_coding (self->project, coding_id, &error))
    {
      cw_window_show_error (self, error->message);
      return;
    }
  show_undo_toast (self, _("Coding removed"));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  /* The typing so far is the step to undo. */
  cw_transcript_view_end_edit_burst (self->transcript_view);
  if (self->project == NULL || outside_change_before_undo (self, FALSE) || !cw_project_can_undo (self->project))
    return;
  if (!cw_project_undo (self->project, &error))
    cw_window_show_error (self, error->message);
  /* ::changed refreshes the views; this covers a failed step too. */
  update_undo (self);
  sync_documents (self);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  cw_transcript_view_end_edit_burst (self->transcript_view);
  if (self->project == NULL || outside_change_before_undo (self, TRUE) || !cw_project_can_redo (self->project))
    return;
  if (!cw_project_redo (self->project, &error))
    cw_window_show_error (self, error->message);
  update_undo (self);
  sync_documents (self);
}

/* Autocoding ran on its own connection, so the project did not signal
 * ::changed: signal it here, and everything showing the project (the
 * codebook's counts, the codings, undo) reads it again. */
static void
autocoded_cb (CwWindow   *self,
              gint64      n_added,
              const char *code_name)
{
  g_autofree char *message = NULL;

  if (self->project == NULL)
    return;

  g_signal_emit_by_name (self->project, "changed");
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: a number of codings, then a code's name. */
                                          "Added %u coding of “%s”",
                                          "Added %u codings of “%s”",
                                          (gulong) n_added),
                             (guint) MIN (n_added, G_MAXUINT), code_name);
  show_undo_toast (self, message);
}

/* Opens on the selected code and, when text is selected, a search for it. */
static void
autocode_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  CwAutocodeDialog *dialog;
  gint64 code_id, start, end;

  if (self->project == NULL)
    return;

  dialog = cw_autocode_dialog_new (GTK_WINDOW (self), self->project,
                                   cw_transcript_view_get_document_id (self->transcript_view));
  code_id = cw_codebook_panel_get_selected (self->codebook_panel);
  if (code_id != 0)
    cw_autocode_dialog_set_code (dialog, code_id);
  if (cw_transcript_view_get_coding_range (self->transcript_view, TRUE, &start, &end))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->transcript_view));
      GtkTextIter start_iter, end_iter;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_iter_at_offset (buffer, &start_iter, (int) start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end_iter, (int) end);
      text = gtk_text_buffer_get_text (buffer, &start_iter, &end_iter, FALSE);
      cw_autocode_dialog_set_search_text (dialog, text);
    }
  g_signal_connect_object (dialog, "autocoded", G_CALLBACK (autocoded_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
coder_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   CwWindow         *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "save") != 0)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (name[0] != '\0')
    g_settings_set_string (self->settings, "coder", name);
}

static void
coder_name_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autofree char *coder = g_settings_get_string (self->settings, "coder");
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Coder Name"),
                                   _("Your codings are recorded under this name, so that the codings of several coders can be told apart and compared."));
  gtk_editable_set_text (GTK_EDITABLE (entry), coder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (coder_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The codebook keeps its width when the window grows: place the divider
 * once the paned knows its size. */
static void
content_paned_sized_cb (CwWindow *self)
{
  int width = g_settings_get_int (self->settings, "codebook-width");
  int max;

  int total = gtk_widget_get_width (GTK_WIDGET (self->content_paned));

  g_object_get (self->content_paned, "max-position", &max, NULL);
  if (self->codebook_sized || max <= 0 || total <= 0)
    return;

  /* The first allocations may be smaller than the window will be: keep
   * placing it until there is room for both. */
  gtk_paned_set_position (self->content_paned, CLAMP (total - width, 300, max));
  self->codebook_sized = total >= width + 300;
}

static void
update_actions (CwWindow *self)
{
  gboolean has_project = self->project != NULL;
  gboolean importing = self->import_cancellable != NULL;
  gboolean exchanging = self->exchange_cancellable != NULL;
  /* One writer at a time: a transcript import and a codebook import on two
   * connections would wait for each other. */
  gboolean can_start = has_project && !importing && !exchanging && self->restore_cancellable == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", importing || exchanging);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-project", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-codebook", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-codebook", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.merge", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-pseudonymised", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pseudonymised-copy", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.encrypted-copy", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-backup", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-matrix",
                                 has_project && self->matrix_cancellable == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search-all", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search-next", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search-previous", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.autocode", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.replace", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.agreement", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review", has_project);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), has_project);
  /* No views to switch between without a project. */
  adw_view_switcher_title_set_view_switcher_enabled (self->window_title, has_project);
  gtk_widget_set_visible (GTK_WIDGET (self->undo_button), has_project);
  gtk_widget_set_visible (GTK_WIDGET (self->redo_button), has_project);
  update_undo (self);
}

static void document_selected_cb (CwWindow *self,
                                  gint64    id);

/* The list shows kinds in this order; a project opens on its first document. */
static int
kind_rank (CwDocumentKind kind)
{
  switch (kind)
    {
    case CW_DOCUMENT_KIND_ARENA: return 0;
    case CW_DOCUMENT_KIND_FOCUS_GROUP: return 1;
    case CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW: return 2;
    case CW_DOCUMENT_KIND_INTERVIEW: return 3;
    case CW_DOCUMENT_KIND_OTHER:
    case CW_N_DOCUMENT_KINDS:
    default: return 4;
    }
}

static gint64
first_document (GPtrArray *documents)
{
  const CwDocumentInfo *first = NULL;

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, i);

      if (first == NULL || kind_rank (info->kind) < kind_rank (first->kind))
        first = info;
    }
  return first != NULL ? first->id : 0;
}

/* Returns the first document in the list's order, 0 when there is none. */
static gint64
show_documents (CwWindow  *self,
                GPtrArray *documents)
{
  guint n;

  cw_document_list_set_documents (self->document_list, documents);
  n = cw_document_list_get_n_documents (self->document_list);

  /* NULL: still being listed; not "No Documents" meanwhile. */
  if (n == 0 && documents != NULL)
    {
      adw_status_page_set_title (self->no_document_page, _("No Documents"));
      adw_status_page_set_description (self->no_document_page,
                                       _("Import transcripts: plain text, Word, OpenDocument or subtitle files."));
    }
  else
    {
      adw_status_page_set_title (self->no_document_page, _("No Document Selected"));
      adw_status_page_set_description (self->no_document_page,
                                       _("Choose a document in the list to read it."));
    }
  gtk_widget_set_visible (self->no_document_import, n == 0 && documents != NULL);
  return first_document (documents);
}

static gint64
refresh_documents (CwWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = NULL;

  /* Listing reads only the documents' metadata (not their turns), through
   * the documents_listing index: fast enough to do here. */
  documents = cw_project_list_documents_brief (self->project, &error);
  if (documents == NULL)
    {
      cw_window_show_error (self, error->message);
      return 0;
    }
  return show_documents (self, documents);
}

/* A project made by an older Codewerk has no documents_listing index yet:
 * a worker makes it on a connection of its own (cw_project_open does) and
 * lists the documents there, so that neither the index nor a listing
 * without it (every text read) holds up the window. */
/* A worker's listing, on the connection it opened (NULL: error says why). */
static void
return_listing (GTask     *task,
                CwProject *project,
                GError    *error)
{
  GPtrArray *documents;

  if (project == NULL || (documents = cw_project_list_documents_brief (project, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, documents, (GDestroyNotify) g_ptr_array_unref);
}

static void
listing_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(CwProject) project = cw_project_open (task_data, &error);

  return_listing (task, project, error);
}

static void
listing_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CwWindow *self = CW_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = g_task_propagate_pointer (G_TASK (result), &error);
  gint64 first;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->listing_cancellable)
    return;
  g_clear_object (&self->listing_cancellable);
  if (documents == NULL)
    {
      /* Not on the side, then here (the error, if any, shows). */
      first = refresh_documents (self);
    }
  else
    {
      first = show_documents (self, documents);
    }
  update_actions (self);
  /* Open on the first document unless one was chosen meanwhile. */
  if (first > 0 && cw_transcript_view_get_document_id (self->transcript_view) == 0 &&
      self->load_cancellable == NULL)
    {
      cw_document_list_select_document (self->document_list, first);
      document_selected_cb (self, first);
    }
}

static void
list_documents_aside (CwWindow *self)
{
  g_autoptr(GTask) task = NULL;

  self->listing_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->listing_cancellable, listing_done_cb, NULL);
  g_task_set_source_tag (task, list_documents_aside);
  g_task_set_task_data (task, g_strdup (cw_project_get_path (self->project)), g_free);
  g_task_run_in_thread (task, listing_thread);
}

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    {
      g_cancellable_cancel (*cancellable);
      g_clear_object (cancellable);
    }
}

void
cw_window_set_project (CwWindow  *self,
                       CwProject *project)
{
  g_autofree char *basename = NULL;
  gint64 first;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (CW_IS_PROJECT (project));

  cancel_and_clear (&self->load_cancellable);
  cancel_and_clear (&self->listing_cancellable);
  cancel_and_clear (&self->sync_cancellable);
  cancel_and_clear (&self->highlight_cancellable);
  cancel_and_clear (&self->results_cancellable);
  cancel_and_clear (&self->import_cancellable);
  cancel_and_clear (&self->exchange_cancellable);
  cancel_and_clear (&self->matrix_cancellable);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);

  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->project, project_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->project, external_change_cb, self);
    }
  g_set_object (&self->project, project);
  g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);
  g_signal_connect_swapped (project, "external-change", G_CALLBACK (external_change_cb), self);
  /* codewerk-cli or another window may write to the file meanwhile: one
   * cheap look a second (and when the window becomes active again). */
  if (self->poll_id == 0)
    self->poll_id = g_timeout_add_seconds (1, poll_timeout_cb, self);
  cw_transcript_view_set_project (self->transcript_view, project);
  cw_transcript_view_set_document (self->transcript_view, NULL);
  refresh_recording (self);
  cw_replace_bar_set_project (self->replace_bar, project);
  cw_codebook_panel_set_project (self->codebook_panel, project);
  set_pages_project (self);
  adw_view_stack_page_set_visible (self->review_page, FALSE);
  refresh_codes (self);
  cw_list_filler_cancel (self->results_filler);
  g_list_store_remove_all (self->results);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);

  basename = g_path_get_basename (cw_project_get_path (project));
  adw_view_switcher_title_set_title (self->window_title, cw_project_get_title (project));
  adw_view_switcher_title_set_subtitle (self->window_title, basename);
  adw_view_stack_set_visible_child_name (self->view_stack, "documents");
  gtk_window_set_title (GTK_WINDOW (self), cw_project_get_title (project));

  if (_cw_project_has_listing_index (project))
    {
      first = refresh_documents (self);
    }
  else
    {
      /* An empty list until the worker's arrives. */
      first = show_documents (self, NULL);
      list_documents_aside (self);
    }
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  gtk_stack_set_visible_child_name (self->main_stack, "project");
  update_actions (self);
  /* Open on real work rather than on an empty pane. */
  if (first > 0)
    {
      cw_document_list_select_document (self->document_list, first);
      document_selected_cb (self, first);
    }

  remember_recent (self, cw_project_get_path (project));
}

CwProject *
cw_window_get_project (CwWindow *self)
{
  g_return_val_if_fail (CW_IS_WINDOW (self), NULL);

  return self->project;
}

gboolean
cw_window_open_file (CwWindow  *self,
                     GFile     *file,
                     GError   **error)
{
  g_autoptr(CwProject) project = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: only local files can be opened"), uri);
      return FALSE;
    }

  /* Opening checks the header and migrates; it does not read documents,
   * nor make the index for listing them (cw_window_set_project's worker
   * does, in an older project). */
  project = _cw_project_open_without_listing_index (path, error);
  if (project == NULL)
    return FALSE;

  cw_window_set_project (self, project);
  start_backup_after_paint (self);
  return TRUE;
}

/* Loading a document */

static void
load_document_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CwDocument *document;

  document = cw_project_load_document_finish (CW_PROJECT (object), result, &error);
  if (document == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_object (&self->load_cancellable);
          cw_window_show_error (self, error->message);
        }
      return;
    }

  g_clear_object (&self->load_cancellable);
  cw_transcript_view_set_document (self->transcript_view, document);
  refresh_codings (self);
  refresh_recording (self);
  gtk_stack_set_visible_child_name (self->content_stack, "document");

  if (self->pending_start >= 0)
    {
      cw_transcript_view_select_range (self->transcript_view, self->pending_start, self->pending_end);
      self->pending_start = self->pending_end = -1;
    }
  /* The recording was set just above: the transcript asks to play, as its
   * own "Play From Here" does. */
  if (self->pending_play >= 0)
    {
      gint64 offset = self->pending_play;

      self->pending_play = -1;
      cw_transcript_view_play_from_offset (self->transcript_view, offset);
    }

  if (gtk_search_bar_get_search_mode (self->search_bar))
    run_highlight_search (self);
}

static void
load_document (CwWindow *self,
               gint64    id)
{
  cancel_and_clear (&self->load_cancellable);
  cancel_and_clear (&self->highlight_cancellable);
  self->load_cancellable = g_cancellable_new ();

  cw_project_load_document_async (self->project, id, self->load_cancellable,
                                  load_document_cb, g_object_ref (self));
}

static void
document_selected_cb (CwWindow *self,
                      gint64    id)
{
  self->pending_start = self->pending_end = -1;
  self->pending_play = -1;
  load_document (self, id);
}

/* Shows the document with [start, end) selected. */
static void
show_document_range (CwWindow *self,
                     gint64    id,
                     gint64    start,
                     gint64    end)
{
  cw_document_list_select_document (self->document_list, id);

  if (cw_transcript_view_get_document_id (self->transcript_view) == id && self->load_cancellable == NULL)
    {
      cw_transcript_view_select_range (self->transcript_view, start, end);
      return;
    }

  self->pending_start = start;
  self->pending_end = end;
  load_document (self, id);
}

/* The retrieval view */

static void
segment_activated_cb (CwWindow *self,
                      gint64    document_id,
                      gint64    start,
                      gint64    end)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "documents");
  show_document_range (self, document_id, start, end);
}

/* "Play From Here" on a retrieved segment: the document opens there and
 * plays through the transcript's own path (::play-requested), once it is
 * loaded when it was not shown yet. */
static void
segment_play_cb (CwWindow *self,
                 gint64    document_id,
                 gint64    start,
                 gint64    end)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "documents");
  show_document_range (self, document_id, start, end);
  if (self->load_cancellable != NULL)
    self->pending_play = start;
  else
    cw_transcript_view_play_from_offset (self->transcript_view, start);
}

static void
retrieval_message_cb (CwWindow   *self,
                      const char *message)
{
  cw_window_show_toast (self, message);
}

/* A cell of an overview picture: its segments in the retrieval view (a
 * code map cell: that code in that document; a co-occurrence cell: both
 * codes in every document). */
static void
overview_cell_activated_cb (CwWindow *self,
                            gint64    document_id,
                            gint64    code_id,
                            gint64    other_code_id)
{
  gint64 codes[] = { code_id, other_code_id };

  cw_retrieval_view_set_codes (get_retrieval_view (self), codes, other_code_id != 0 ? 2 : 1);
  cw_retrieval_view_set_document (get_retrieval_view (self), document_id);
  adw_view_stack_set_visible_child_name (self->view_stack, "retrieval");
}

/* Search */

typedef struct
{
  CwWindow *self;
  gint64    document_id;
} SearchRequest;

static const char *
search_text (CwWindow *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

static gboolean
search_text_is_empty (CwWindow *self)
{
  for (const char *p = search_text (self); *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
update_match_status (CwWindow *self)
{
  guint n = cw_transcript_view_get_n_matches (self->transcript_view);
  int current = cw_transcript_view_get_current_match (self->transcript_view);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->search_status), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_status), NULL);
  if (search_text_is_empty (self) || cw_transcript_view_get_document_id (self->transcript_view) == 0)
    text = g_strdup ("");
  else if (n == 0)
    text = g_strdup (_("No matches"));
  else if (current >= 0)
    /* Translators: the match shown, of all matches in the document: "3 of 12". */
    text = g_strdup_printf (_("%d of %u"), current + 1, n);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);

  gtk_label_set_text (self->search_status, text);
}

static gboolean
is_query_error (const GError *error)
{
  return g_error_matches (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID) ||
         g_error_matches (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE);
}

/* A query FTS5 cannot take, often one still being typed ("werk AND"):
 * a quiet word where the count goes, the reason in its tooltip. */
static void
show_search_error (GtkLabel     *label,
                   const GError *error)
{
  gtk_label_set_text (label, is_query_error (error) ? _("Invalid search") : error->message);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), error->message);
}

static void
highlight_search_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SearchRequest *request = user_data;
  g_autoptr(CwWindow) self = request->self;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  gint64 document_id = request->document_id;

  g_free (request);
  hits = cw_project_search_finish (CW_PROJECT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->highlight_cancellable);
  if (cw_transcript_view_get_document_id (self->transcript_view) != document_id)
    return;

  if (hits == NULL)
    {
      cw_transcript_view_set_matches (self->transcript_view, NULL);
      show_search_error (self->search_status, error);
      gtk_widget_add_css_class (GTK_WIDGET (self->search_status), "error");
      return;
    }

  cw_transcript_view_set_matches (self->transcript_view, hits);
  cw_transcript_view_move_to_match (self->transcript_view, FALSE, TRUE);
  update_match_status (self);
}

static void
run_highlight_search (CwWindow *self)
{
  SearchRequest *request;
  gint64 id = cw_transcript_view_get_document_id (self->transcript_view);

  cancel_and_clear (&self->highlight_cancellable);
  if (id == 0 || search_text_is_empty (self))
    {
      cw_transcript_view_set_matches (self->transcript_view, NULL);
      update_match_status (self);
      return;
    }

  self->highlight_cancellable = g_cancellable_new ();
  request = g_new0 (SearchRequest, 1);
  request->self = g_object_ref (self);
  request->document_id = id;
  cw_project_search_async (self->project, search_text (self), id, 0,
                           self->highlight_cancellable, highlight_search_cb, request);
}

static void
results_search_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SearchRequest *request = user_data;
  g_autoptr(CwWindow) self = request->self;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) documents = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *status = NULL;
  g_autofree CwSearchHit **stolen = NULL;
  guint n_hits;

  g_free (request);
  hits = cw_project_search_finish (CW_PROJECT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->results_cancellable);
  if (hits == NULL)
    {
      cw_list_filler_cancel (self->results_filler);
  g_list_store_remove_all (self->results);
      show_search_error (self->results_status, error);
      return;
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->results_status), NULL);
  documents = g_hash_table_new (g_int64_hash, g_int64_equal);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  n_hits = hits->len;
  stolen = (CwSearchHit **) g_ptr_array_steal (hits, NULL);
  for (guint i = 0; i < n_hits; i++)
    {
      g_hash_table_add (documents, &stolen[i]->document_id);
      g_ptr_array_add (items, cw_search_result_new (stolen[i]));
    }

  /* The results own the hits now; the table's keys point into them. The
   * rows come a batch per frame (up to 500 rows of wrapped text each
   * keystroke). */
  cw_list_filler_set (self->results_filler, items);

  if (n_hits == 0)
    status = g_strdup (_("No matches in any document"));
  else if (n_hits >= MAX_RESULTS)
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The first %u matches, in %u document",
                                           "The first %u matches, in %u documents",
                                           g_hash_table_size (documents)),
                              n_hits, g_hash_table_size (documents));
  else if (g_hash_table_size (documents) == 1)
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match in 1 document",
                                           "%u matches in 1 document", n_hits),
                              n_hits);
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match in %u documents",
                                           "%u matches in %u documents", n_hits),
                              n_hits, g_hash_table_size (documents));
  gtk_label_set_text (self->results_status, status);
}

static void
run_results_search (CwWindow *self)
{
  SearchRequest *request;

  cancel_and_clear (&self->results_cancellable);
  if (!gtk_toggle_button_get_active (self->search_all_button))
    return;

  if (search_text_is_empty (self))
    {
      cw_list_filler_cancel (self->results_filler);
  g_list_store_remove_all (self->results);
      gtk_label_set_text (self->results_status, _("Type to search all documents"));
      return;
    }

  self->results_cancellable = g_cancellable_new ();
  request = g_new0 (SearchRequest, 1);
  request->self = g_object_ref (self);
  cw_project_search_async (self->project, search_text (self), 0, MAX_RESULTS,
                           self->results_cancellable, results_search_cb, request);
}

static void
search_changed_cb (CwWindow *self)
{
  if (self->project == NULL)
    return;

  run_highlight_search (self);
  run_results_search (self);
}

static void
search_next_cb (CwWindow *self)
{
  if (cw_transcript_view_move_to_match (self->transcript_view, FALSE, FALSE))
    update_match_status (self);
}

static void
search_previous_cb (CwWindow *self)
{
  if (cw_transcript_view_move_to_match (self->transcript_view, TRUE, FALSE))
    update_match_status (self);
}

static void
search_activate_cb (CwWindow *self)
{
  /* Enter without a document open: the first result is what was meant. */
  if (cw_transcript_view_get_document_id (self->transcript_view) == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0)
    {
      g_autoptr(CwSearchResult) first = g_list_model_get_item (G_LIST_MODEL (self->results), 0);
      const CwSearchHit *hit = cw_search_result_get_hit (first);

      show_document_range (self, hit->document_id, hit->start, hit->end);
      return;
    }

  search_next_cb (self);
}

static void
search_stop_cb (CwWindow *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
search_scope_toggled_cb (CwWindow *self)
{
  gboolean all = gtk_toggle_button_get_active (self->search_all_button);

  gtk_stack_set_visible_child_name (self->sidebar_stack, all ? "results" : "documents");
  g_object_set (self->search_entry, "placeholder-text",
                all ? _("Search all documents") : _("Search this document"), NULL);
  if (all)
    run_results_search (self);
  else
    cancel_and_clear (&self->results_cancellable);
}

static void
search_mode_changed_cb (CwWindow *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    return;

  /* Closing the search puts everything back as it was. */
  cancel_and_clear (&self->highlight_cancellable);
  cancel_and_clear (&self->results_cancellable);
  cw_transcript_view_set_matches (self->transcript_view, NULL);
  gtk_label_set_text (self->search_status, "");
  gtk_toggle_button_set_active (self->search_all_button, FALSE);
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->transcript_view));
}

static void
begin_search (CwWindow *self,
              gboolean  all)
{
  if (self->project == NULL)
    return;

  gtk_toggle_button_set_active (self->search_all_button, all);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
  search_scope_toggled_cb (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  begin_search (CW_WINDOW (widget), FALSE);
}

static void
search_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  begin_search (CW_WINDOW (widget), TRUE);
}

static void
search_next_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  search_next_cb (CW_WINDOW (widget));
}

static void
search_previous_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  search_previous_cb (CW_WINDOW (widget));
}

static void
result_activate_cb (CwWindow *self,
                    guint     position)
{
  g_autoptr(CwSearchResult) result = g_list_model_get_item (G_LIST_MODEL (self->results), position);
  const CwSearchHit *hit;

  if (result == NULL)
    return;

  hit = cw_search_result_get_hit (result);
  show_document_range (self, hit->document_id, hit->start, hit->end);
}

static void
setup_result (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *document = gtk_label_new (NULL);
  GtkWidget *snippet = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (document), 0);
  gtk_label_set_ellipsize (GTK_LABEL (document), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (document, "caption-heading");
  gtk_widget_add_css_class (document, "dim-label");

  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (snippet), 20);
  gtk_label_set_max_width_chars (GTK_LABEL (snippet), 40);
  gtk_widget_add_css_class (snippet, "cw-snippet");

  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_box_append (GTK_BOX (box), document);
  gtk_box_append (GTK_BOX (box), snippet);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_result (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  CwSearchResult *result = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *document = gtk_widget_get_first_child (box);
  GtkWidget *snippet = gtk_widget_get_next_sibling (document);
  g_autofree char *markup = cw_search_result_dup_markup (result);

  gtk_label_set_text (GTK_LABEL (document), cw_search_result_get_hit (result)->document);
  gtk_label_set_markup (GTK_LABEL (snippet), markup);
}

/* Import */

static void
import_progress_cb (guint       done,
                    guint       total,
                    const char *current,
                    gpointer    user_data)
{
  CwWindow *self = user_data;
  g_autofree char *text = NULL;

  /* A report that arrives after the import ended has nothing to update. */
  if (self->import_cancellable == NULL)
    return;

  gtk_progress_bar_set_fraction (self->import_progress, total > 0 ? (double) done / total : 0.0);
  if (current != NULL)
    /* Translators: the file being imported, then how far the import is. */
    text = g_strdup_printf (_("Importing %s (%u of %u)"), current, MIN (done + 1, total), total);
  else
    text = g_strdup (_("Saving…"));
  gtk_label_set_text (self->import_label, text);
}

static gboolean
release_window (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CwWindow *self = user_data;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = cw_project_import_finish (CW_PROJECT (object), result, &error);

  /* Progress reports may still be queued behind this callback: let them see
   * a live window with no import, then drop the reference. */
  g_idle_add_full (G_PRIORITY_LOW, release_window, self, NULL);

  if (self->import_cancellable == NULL)
    return; /* the window moved on: closed, or another project */

  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  update_actions (self);

  if (ids == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cw_window_show_toast (self, _("Import cancelled: nothing was imported"));
      else
        cw_window_show_refusal (self, _("Could Not Import"), error->message);
      return;
    }

  refresh_documents (self);
  if (ids->len > 0 && cw_transcript_view_get_document_id (self->transcript_view) == 0)
    {
      gint64 first = g_array_index (ids, gint64, 0);

      cw_document_list_select_document (self->document_list, first);
      document_selected_cb (self, first);
    }

  {
    g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Imported %u document",
                                                             "Imported %u documents", ids->len),
                                                ids->len);
    cw_window_show_toast (self, message);
  }
}

void
_cw_window_import_files (CwWindow  *self,
                         GPtrArray *files)
{
  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (files != NULL);

  if (self->project == NULL || self->import_cancellable != NULL || files->len == 0)
    return;

  self->import_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->import_progress, 0.0);
  gtk_label_set_text (self->import_label, _("Importing…"));
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
  update_actions (self);

  cw_project_import_async (self->project, files, -1,
                           import_progress_cb, self,
                           self->import_cancellable,
                           import_cb, g_object_ref (self));
}

static void
remember_folder (CwWindow *self,
                 GFile    *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *path = parent != NULL ? g_file_get_path (parent) : NULL;

  if (path != NULL)
    g_settings_set_string (self->settings, "last-folder", path);
}

static void
import_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  CwWindow *self = user_data;
  g_autoptr(GListModel) selected = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      selected = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      n = g_list_model_get_n_items (selected);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (files, g_list_model_get_item (selected, i));
      if (files->len > 0)
        remember_folder (self, g_ptr_array_index (files, 0));
      _cw_window_import_files (self, files);
    }

  g_object_unref (dialog);
  g_object_unref (self);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *const *patterns)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  static const char *const all[] = { "txt", "docx", "odt", "srt", "vtt", NULL };
  static const char *const text[] = { "txt", NULL };
  static const char *const word[] = { "docx", NULL };
  static const char *const odt[] = { "odt", NULL };
  static const char *const subtitles[] = { "srt", "vtt", NULL };
  g_autofree char *folder = g_settings_get_string (self->settings, "last-folder");
  GtkFileChooserNative *chooser;

  if (self->project == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import Transcripts"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Transcripts"), all);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Plain text"), text);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Word documents"), word);
  add_filter (GTK_FILE_CHOOSER (chooser), _("OpenDocument text"), odt);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Subtitles"), subtitles);

  if (folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), file, NULL);
    }

  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  /* import_cb and exchange_done report the cancellation once the worker
   * has rolled back. */
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  if (self->exchange_cancellable != NULL)
    g_cancellable_cancel (self->exchange_cancellable);
}

/* REFI-QDA exchange
 *
 * One exchange at a time per window, in a worker (cw-exchange.c), with the
 * import bar for progress and Cancel. */

typedef struct
{
  CwWindow     *self;        /* owned */
  GCancellable *cancellable; /* owned: tells whether the window moved on */
  GFile        *file;        /* the .qdpx or .qdc */
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  g_object_unref (exchange->self);
  g_object_unref (exchange->cancellable);
  g_object_unref (exchange->file);
  g_free (exchange);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exchange, exchange_free)

static char *
file_display_name (GFile *file)
{
  return g_file_get_basename (file);
}

static Exchange *
exchange_begin (CwWindow   *self,
                GFile      *file,
                gboolean    is_export,
                gboolean    show_bar,
                const char *label)
{
  Exchange *exchange = g_new0 (Exchange, 1);

  self->exchange_cancellable = g_cancellable_new ();
  self->exchange_is_export = is_export;
  exchange->self = g_object_ref (self);
  exchange->cancellable = g_object_ref (self->exchange_cancellable);
  exchange->file = g_object_ref (file);

  if (show_bar)
    {
      gtk_progress_bar_set_fraction (self->import_progress, 0.0);
      gtk_label_set_text (self->import_label, label);
      gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
    }
  update_actions (self);
  return exchange;
}

/* FALSE when the window moved on (closed, another project, another
 * exchange): then there is no one to tell. */
static gboolean
exchange_end (Exchange *exchange)
{
  CwWindow *self = exchange->self;

  if (self->exchange_cancellable != exchange->cancellable)
    return FALSE;

  g_clear_object (&self->exchange_cancellable);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  update_actions (self);
  return TRUE;
}

static void
exchange_progress_cb (guint       done,
                      guint       total,
                      const char *current,
                      gpointer    user_data)
{
  CwWindow *self = user_data;
  g_autofree char *text = NULL;

  if (self->exchange_cancellable == NULL)
    return;

  gtk_progress_bar_set_fraction (self->import_progress, total > 0 ? (double) done / total : 0.0);
  if (current == NULL)
    text = g_strdup (_("Saving…"));
  else if (self->exchange_is_export)
    /* Translators: the document just written, then how far the export is. */
    text = g_strdup_printf (_("Exporting %s (%u of %u)"), current, MIN (done, total), total);
  else
    text = g_strdup_printf (_("Importing %s (%u of %u)"), current, MIN (done + 1, total), total);
  gtk_label_set_text (self->import_label, text);
}

static void
warnings_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      CwWindow         *self)
{
  const char *text = g_object_get_data (G_OBJECT (dialog), "text");

  if (g_strcmp0 (response, "copy") == 0)
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
      cw_window_show_toast (self, _("Warnings copied"));
    }
}

/* What was repaired or left out: the researcher must be able to read it
 * all, so a scrolled list of selectable lines, and keep it (Copy). */
static void
show_warnings (CwWindow   *self,
               GFile      *file,
               GPtrArray  *warnings)
{
  g_autofree char *name = file_display_name (file);
  g_autofree char *body = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GtkWidget *dialog;
  GtkWidget *scrolled;
  GtkWidget *box;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warnings"), -1);
  for (guint i = 0; i < warnings->len; i++)
    {
      const char *warning = g_ptr_array_index (warnings, i);
      GtkWidget *label = gtk_label_new (warning);

      if (i > 0)
        gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
      /* One width only: the scrolled window asks for the height of the
       * label at its natural width, so that must be what it gets. */
      gtk_label_set_width_chars (GTK_LABEL (label), 48);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_box_append (GTK_BOX (box), label);
      g_string_append_printf (text, "%s\n", warning);
    }

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_widget_add_css_class (scrolled, "card");

  /* Translators: a file's name. */
  body = g_strdup_printf (_("“%s” was imported, but some of it was repaired or left out:"), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Imported with Warnings"), body);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "copy", _("Co_py"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_object_set_data_full (G_OBJECT (dialog), "text", g_string_free (g_steal_pointer (&text), FALSE), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (warnings_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GFile *
with_suffix (GFile      *file,
             const char *suffix)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GFile) parent = NULL;
  g_autofree char *name = NULL;

  if (basename == NULL || g_str_has_suffix (basename, suffix))
    return g_object_ref (file);

  parent = g_file_get_parent (file);
  name = g_strconcat (basename, suffix, NULL);
  return parent != NULL ? g_file_get_child (parent, name) : g_object_ref (file);
}

static void
set_chooser_folder (CwWindow       *self,
                    GtkFileChooser *chooser)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "last-folder");

  if (folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (chooser, file, NULL);
    }
}

/* The project's title as a file name that other systems accept too:
 * "Cohort: 2024/25" becomes "Cohort 2024-25". */
static char *
title_file_name (CwWindow   *self,
                 const char *suffix)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *title = NULL;

  for (const char *p = cw_project_get_title (self->project); *p != '\0'; p++)
    {
      if (*p == '/' || *p == '\\')
        g_string_append_c (name, '-');
      else if (strchr (":*?\"<>|", *p) == NULL && !g_ascii_iscntrl (*p))
        g_string_append_c (name, *p);
    }
  title = g_string_free (g_steal_pointer (&name), FALSE);
  g_strstrip (title);
  if (title[0] == '.' || title[0] == '\0')
    {
      g_free (title);
      title = g_path_get_basename (cw_project_get_path (self->project));
      if (g_str_has_suffix (title, ".codewerk"))
        title[strlen (title) - strlen (".codewerk")] = '\0';
    }
  return g_strconcat (title, suffix, NULL);
}

typedef void (*ChosenFunc) (CwWindow *self,
                            GFile    *file);
typedef void (*ChosenPseudonymiseFunc) (CwWindow *self,
                                        GFile    *file,
                                        gboolean  pseudonymise);

static void
exchange_chooser_response_cb (GtkNativeDialog *dialog,
                              int              response,
                              gpointer         user_data)
{
  g_autoptr(CwWindow) self = user_data;
  ChosenFunc chosen = g_object_get_data (G_OBJECT (dialog), "chosen");
  const char *suffix = g_object_get_data (G_OBJECT (dialog), "suffix");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen_file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (chosen_file != NULL)
        {
          /* A save dialog may drop the extension; other programs look for it. */
          g_autoptr(GFile) file = suffix != NULL ? with_suffix (chosen_file, suffix) : g_object_ref (chosen_file);

          remember_folder (self, file);
          /* Exports that offer the choice get it; the others are as they were. */
          if (g_object_get_data (G_OBJECT (dialog), "chosen-pseudonymise") != NULL)
            ((ChosenPseudonymiseFunc) g_object_get_data (G_OBJECT (dialog), "chosen-pseudonymise"))
              (self, file, cw_exchange_get_pseudonymise_choice (GTK_FILE_CHOOSER (dialog)));
          else
            chosen (self, file);
        }
    }

  g_object_unref (dialog);
}

static GtkFileChooserNative *
new_exchange_chooser (CwWindow             *self,
                      const char           *title,
                      GtkFileChooserAction  action,
                      const char           *accept,
                      const char           *filter_name,
                      const char           *extension,
                      const char           *current_name,
                      ChosenFunc            chosen)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_suffix (filter, extension);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  set_chooser_folder (self, GTK_FILE_CHOOSER (chooser));
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), current_name);

  g_object_set_data (G_OBJECT (chooser), "chosen", chosen);
  if (action == GTK_FILE_CHOOSER_ACTION_SAVE)
    g_object_set_data_full (G_OBJECT (chooser), "suffix", g_strconcat (".", extension, NULL), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (exchange_chooser_response_cb), g_object_ref (self));
  return chooser;
}

static void
run_exchange_chooser (CwWindow             *self,
                      const char           *title,
                      GtkFileChooserAction  action,
                      const char           *accept,
                      const char           *filter_name,
                      const char           *extension,
                      const char           *current_name,
                      ChosenFunc            chosen)
{
  GtkFileChooserNative *chooser = new_exchange_chooser (self, title, action, accept, filter_name, extension,
                                                        current_name, chosen);

  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
can_start_exchange (CwWindow *self)
{
  return self->project != NULL && self->import_cancellable == NULL && self->exchange_cancellable == NULL;
}

/* Export project */

static void
export_done (Exchange     *exchange,
             gboolean      ok,
             const GError *error)
{
  CwWindow *self = exchange->self;
  g_autofree char *name = file_display_name (exchange->file);
  g_autofree char *message = NULL;

  if (!exchange_end (exchange))
    return;

  if (ok)
    {
      /* Translators: the name of the file written. */
      message = g_strdup_printf (_("Exported to “%s”"), name);
      cw_window_show_toast (self, message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cw_window_show_toast (self, _("Export cancelled: nothing was written"));
  else
    cw_window_show_error (self, error->message);
}

static void
export_project_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = cw_exchange_export_project_finish (result, &error);

  export_done (exchange, ok, error);
}

void
_cw_window_export_project_to (CwWindow *self,
                              GFile    *file)
{
  Exchange *exchange;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!can_start_exchange (self))
    return;

  exchange = exchange_begin (self, file, TRUE, TRUE, _("Exporting…"));
  cw_exchange_export_project_async (self->project, file, exchange_progress_cb, self,
                                    exchange->cancellable, export_project_cb, exchange);
}

static void
export_project_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autofree char *name = NULL;

  if (!can_start_exchange (self))
    return;

  name = title_file_name (self, ".qdpx");
  run_exchange_chooser (self, _("Export Project (REFI-QDA)"), GTK_FILE_CHOOSER_ACTION_SAVE,
                        _("_Export"), _("REFI-QDA projects"), "qdpx", name,
                        _cw_window_export_project_to);
}

/* Privacy (issue 10): a pseudonymised REFI-QDA export, a pseudonymised
 * copy and an encrypted copy, each a writer like the exchange (its bar,
 * its Cancel, one at a time). */

static void
export_pseudonymised_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = cw_exchange_export_pseudonymised_finish (result, &error);

  export_done (exchange, ok, error);
}

void
_cw_window_export_pseudonymised_project_to (CwWindow *self,
                                            GFile    *file)
{
  Exchange *exchange;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!can_start_exchange (self))
    return;

  exchange = exchange_begin (self, file, TRUE, TRUE, _("Pseudonymising…"));
  cw_exchange_export_pseudonymised_async (self->project, file, exchange_progress_cb, self,
                                          exchange->cancellable, export_pseudonymised_cb, exchange);
}

static void
export_pseudonymised_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autofree char *name = NULL;

  if (!can_start_exchange (self))
    return;

  /* Translators: added to the suggested file name of a pseudonymised export or copy. */
  name = title_file_name (self, _(" (pseudonymised).qdpx"));
  run_exchange_chooser (self, _("Export Pseudonymised Project (REFI-QDA)"), GTK_FILE_CHOOSER_ACTION_SAVE,
                        _("_Export"), _("REFI-QDA projects"), "qdpx", name,
                        _cw_window_export_pseudonymised_project_to);
}

/* What a copy's worker said, as a toast. */
static void
copy_done (Exchange     *exchange,
           gboolean      ok,
           const GError *error,
           gboolean      encrypted)
{
  CwWindow *self = exchange->self;
  g_autofree char *name = file_display_name (exchange->file);
  g_autofree char *message = NULL;

  if (!exchange_end (exchange))
    return;

  if (ok)
    {
      if (encrypted)
        /* Translators: the encrypted copy's file name. */
        message = g_strdup_printf (_("Encrypted copy saved as “%s”"), name);
      else
        /* Translators: the copy's file name. */
        message = g_strdup_printf (_("Pseudonymised copy saved as “%s”"), name);
      cw_window_show_toast (self, message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cw_window_show_toast (self, _("Cancelled: no copy was written"));
  else
    cw_window_show_error (self, error->message);
}

static void
write_pseudonymised_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = cw_exchange_write_pseudonymised_finish (result, &error);

  copy_done (exchange, ok, error, FALSE);
}

void
_cw_window_write_pseudonymised_copy_to (CwWindow *self,
                                        GFile    *file)
{
  Exchange *exchange;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!can_start_exchange (self))
    return;

  exchange = exchange_begin (self, file, TRUE, TRUE, _("Writing a pseudonymised copy…"));
  gtk_progress_bar_pulse (self->import_progress);
  cw_exchange_write_pseudonymised_async (self->project, file, exchange->cancellable,
                                         write_pseudonymised_cb, exchange);
}

static void
pseudonymised_copy_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autofree char *name = NULL;

  if (!can_start_exchange (self))
    return;

  name = title_file_name (self, _(" (pseudonymised).codewerk"));
  run_exchange_chooser (self, _("Save a Pseudonymised Copy"), GTK_FILE_CHOOSER_ACTION_SAVE,
                        _("_Save"), _("Codewerk projects"), "codewerk", name,
                        _cw_window_write_pseudonymised_copy_to);
}

static void
write_encrypted_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = cw_exchange_write_encrypted_finish (result, &error);

  copy_done (exchange, ok, error, TRUE);
}

static void
encrypt_passphrase_cb (CwWindow   *self,
                       const char *passphrase,
                       gpointer    dialog)
{
  GFile *file = g_object_get_data (G_OBJECT (dialog), "file");
  Exchange *exchange;

  if (!can_start_exchange (self))
    return;

  exchange = exchange_begin (self, file, TRUE, TRUE, _("Encrypting…"));
  gtk_progress_bar_pulse (self->import_progress);
  /* The job keeps its own copy and wipes it. */
  cw_exchange_write_encrypted_async (self->project, file, passphrase, exchange->cancellable,
                                     write_encrypted_cb, exchange);
}

CwPassphraseDialog *
_cw_window_write_encrypted_copy_to (CwWindow *self,
                                    GFile    *file)
{
  g_autofree char *name = NULL;
  CwPassphraseDialog *dialog;

  g_return_val_if_fail (CW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!can_start_exchange (self))
    return NULL;

  name = file_display_name (file);
  dialog = cw_passphrase_dialog_new (GTK_WINDOW (self), CW_PASSPHRASE_MODE_NEW, name);
  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (dialog, "passphrase-entered", G_CALLBACK (encrypt_passphrase_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
encrypted_copy_chosen (CwWindow *self,
                       GFile    *file)
{
  _cw_window_write_encrypted_copy_to (self, file);
}

static void
encrypted_copy_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autofree char *name = NULL;

  if (!can_start_exchange (self))
    return;

  name = title_file_name (self, ".codewerk-enc");
  run_exchange_chooser (self, _("Save an Encrypted Copy"), GTK_FILE_CHOOSER_ACTION_SAVE,
                        _("_Save"), _("Encrypted Codewerk copies"), "codewerk-enc", name,
                        encrypted_copy_chosen);
}

/* Export codebook */

static void
export_codebook_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_async_result_is_tagged (result, cw_exchange_export_pseudonymised_codebook_async)
                ? cw_exchange_export_pseudonymised_codebook_finish (result, &error)
                : cw_exchange_export_codebook_finish (result, &error);

  export_done (exchange, ok, error);
}

void
_cw_window_export_codebook_to_full (CwWindow *self,
                                    GFile    *file,
                                    gboolean  pseudonymise)
{
  Exchange *exchange;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!can_start_exchange (self))
    return;

  /* One small file: quick enough to go without a bar; pseudonymised, it
   * is written from a copy of the whole project, which takes a while. */
  exchange = exchange_begin (self, file, TRUE, pseudonymise, pseudonymise ? _("Pseudonymising…") : NULL);
  if (pseudonymise)
    {
      gtk_progress_bar_pulse (self->import_progress);
      cw_exchange_export_pseudonymised_codebook_async (self->project, file, exchange->cancellable,
                                                       export_codebook_cb, exchange);
    }
  else
    cw_exchange_export_codebook_async (self->project, file, exchange->cancellable,
                                       export_codebook_cb, exchange);
}

void
_cw_window_export_codebook_to (CwWindow *self,
                               GFile    *file)
{
  _cw_window_export_codebook_to_full (self, file, FALSE);
}

static void
export_codebook_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (!can_start_exchange (self))
    return;

  name = title_file_name (self, ".qdc");
  chooser = new_exchange_chooser (self, _("Export Codebook (REFI-QDA)"), GTK_FILE_CHOOSER_ACTION_SAVE,
                                  _("_Export"), _("REFI-QDA codebooks"), "qdc", name,
                                  _cw_window_export_codebook_to);
  /* Code descriptions quote and name people: the choice is on the export
   * itself rather than a second menu item (see _full). */
  cw_exchange_add_pseudonymise_choice (GTK_FILE_CHOOSER (chooser), self->project);
  g_object_set_data (G_OBJECT (chooser), "chosen-pseudonymise", _cw_window_export_codebook_to_full);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Import codebook */

static void
import_codebook_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  CwWindow *self = exchange->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *message = NULL;
  guint added = 0, matched = 0;
  gboolean ok;

  ok = cw_exchange_import_codebook_finish (result, &added, &matched, &warnings, &error);
  if (!exchange_end (exchange) || self->project == NULL)
    return;

  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cw_window_show_error (self, error->message);
      else
        cw_window_show_refusal (self, _("Could Not Import the Codebook"), error->message);
      return;
    }

  /* The codes came in on the worker's connection: ::changed makes the
   * codebook, the codings and undo read the project again. */
  g_signal_emit_by_name (self->project, "changed");

  if (added == 0 && matched == 0)
    message = g_strdup (_("The codebook has no codes: nothing was added"));
  else if (added == 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Nothing was added: its %u code is here already",
                                            "Nothing was added: its %u codes are here already",
                                            matched),
                               matched);
  else if (matched == 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u code", "Added %u codes", added),
                               added);
  else
    /* Translators: codes new to the project, then codes it already had. */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Added %u code, matched %u",
                                            "Added %u codes, matched %u",
                                            added),
                               added, matched);

  if (added > 0)
    show_undo_toast (self, message);
  else
    cw_window_show_toast (self, message);

  if (warnings != NULL && warnings->len > 0)
    show_warnings (self, exchange->file, warnings);
}

void
_cw_window_import_codebook_from (CwWindow *self,
                                 GFile    *file)
{
  Exchange *exchange;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!can_start_exchange (self))
    return;

  exchange = exchange_begin (self, file, FALSE, FALSE, NULL);
  cw_exchange_import_codebook_async (self->project, file, exchange->cancellable,
                                     import_codebook_cb, exchange);
}

static void
import_codebook_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  if (!can_start_exchange (self))
    return;

  run_exchange_chooser (self, _("Import Codebook"), GTK_FILE_CHOOSER_ACTION_OPEN,
                        _("_Import"), _("REFI-QDA codebooks"), "qdc", NULL,
                        _cw_window_import_codebook_from);
}

/* Import project */

static void
import_project_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  CwWindow *self = exchange->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autofree char *message = NULL;
  guint n;

  project = cw_exchange_import_project_finish (result, &warnings, &error);
  if (!exchange_end (exchange))
    return;

  if (project == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cw_window_show_toast (self, _("Import cancelled: nothing was imported"));
      else
        cw_window_show_refusal (self, _("Could Not Import the Project"), error->message);
      return;
    }

  cw_window_set_project (self, project);
  n = cw_document_list_get_n_documents (self->document_list);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Imported %u document",
                                          "Imported %u documents", n),
                             n);
  cw_window_show_toast (self, message);

  if (warnings != NULL && warnings->len > 0)
    show_warnings (self, exchange->file, warnings);
}

void
_cw_window_import_project_from (CwWindow *self,
                                GFile    *qdpx,
                                GFile    *target)
{
  Exchange *exchange;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (qdpx));
  g_return_if_fail (G_IS_FILE (target));

  if (self->import_cancellable != NULL || self->exchange_cancellable != NULL)
    return;

  exchange = exchange_begin (self, qdpx, FALSE, TRUE, _("Importing…"));
  cw_exchange_import_project_async (qdpx, target, exchange_progress_cb, self,
                                    exchange->cancellable, import_project_cb, exchange);
}

/* Case x code matrix
 *
 * For SPSS and R: written by the core in a worker on its own connection,
 * .csv or .sav by the file's name. */

static void
export_matrix_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char * const *paths = task_data; /* project, target, "pseudonymise" or absent */
  g_autoptr(CwProject) project = NULL;
  CwProject *copy = NULL;
  char *temp_dir = NULL;
  GError *error = NULL;
  gboolean ok;

  project = cw_project_open (paths[0], &error);
  /* Pseudonymised: from a copy, as the CLI's --pseudonymise (stable case
   * ids, names in values and code paths replaced). */
  if (project != NULL && paths[2] != NULL)
    copy = cw_exchange_open_pseudonymised (project, &temp_dir, cancellable, &error);
  ok = project != NULL && (paths[2] == NULL || copy != NULL) &&
       cw_project_export_matrix (copy != NULL ? copy : project, paths[1], cancellable, &error);
  cw_exchange_close_pseudonymised (copy, temp_dir);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_matrix_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CwWindow *self = CW_WINDOW (source);
  GTask *task = G_TASK (result);
  const char * const *paths = g_task_get_task_data (task);
  g_autofree char *name = g_path_get_basename (paths[1]);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_get_cancellable (task) != self->matrix_cancellable)
    return;
  g_clear_object (&self->matrix_cancellable);
  update_actions (self);

  if (g_task_propagate_boolean (task, &error))
    {
      /* Translators: the name of the file written. */
      message = g_strdup_printf (_("Exported to “%s”"), name);
      cw_window_show_toast (self, message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cw_window_show_toast (self, _("Export cancelled: nothing was written"));
  else
    {
      /* Translators: the file, then the reason. */
      message = g_strdup_printf (_("Could not export the matrix to “%s”: %s"), name, error->message);
      cw_window_show_error (self, message);
    }
}

void
_cw_window_export_matrix_to_full (CwWindow *self,
                                  GFile    *file,
                                  gboolean  pseudonymise)
{
  g_autoptr(GTask) task = NULL;
  char **paths;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->project == NULL || self->matrix_cancellable != NULL)
    return;

  paths = g_new0 (char *, 4);
  paths[0] = g_strdup (cw_project_get_path (self->project));
  paths[1] = g_file_get_path (file);
  paths[2] = pseudonymise ? g_strdup ("pseudonymise") : NULL;
  if (paths[1] == NULL)
    {
      g_strfreev (paths);
      return;
    }

  self->matrix_cancellable = g_cancellable_new ();
  update_actions (self);
  task = g_task_new (self, self->matrix_cancellable, export_matrix_cb, NULL);
  g_task_set_source_tag (task, _cw_window_export_matrix_to_full);
  g_task_set_task_data (task, paths, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, export_matrix_thread);
}

void
_cw_window_export_matrix_to (CwWindow *self,
                             GFile    *file)
{
  _cw_window_export_matrix_to_full (self, file, FALSE);
}

static void
export_matrix_response_cb (GtkNativeDialog *chooser,
                           int              response,
                           CwWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = chosen != NULL ? g_file_get_path (chosen) : NULL;

      if (path != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (path, -1);
          g_autoptr(GFile) file = NULL;

          /* The format follows the name: give it the chosen filter's
           * suffix when it has neither. */
          if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".sav"))
            file = g_object_ref (chosen);
          else
            {
              const char *suffix = filter != NULL ? g_object_get_data (G_OBJECT (filter), "suffix") : NULL;
              g_autofree char *named = g_strconcat (path, suffix != NULL ? suffix : ".csv", NULL);

              file = g_file_new_for_path (named);
            }
          _cw_window_export_matrix_to_full (self, file,
                                            cw_exchange_get_pseudonymise_choice (GTK_FILE_CHOOSER (chooser)));
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_matrix_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  static const char *const suffixes[] = { ".csv", ".sav" };
  const char *names[] = { _("CSV for R or Excel (;)"), _("SPSS data file") };
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->project == NULL || self->matrix_cancellable != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Case × Code Matrix"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, names[i]);
      gtk_file_filter_add_suffix (filter, suffixes[i] + 1);
      g_object_set_data (G_OBJECT (filter), "suffix", (gpointer) suffixes[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  set_chooser_folder (self, GTK_FILE_CHOOSER (chooser));
  name = title_file_name (self, "-matrix.csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* Case ids and names in the cohort's values leave with the matrix. */
  cw_exchange_add_pseudonymise_choice (GTK_FILE_CHOOSER (chooser), self->project);
  g_signal_connect (chooser, "response", G_CALLBACK (export_matrix_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Merging other coders' copies
 *
 * A writer like the exchange: it takes the exchange's place (the bar, its
 * Cancel, one at a time). The core merges in one transaction on its own
 * connection, so Cancel or a broken file leaves the project as it was. */

typedef struct
{
  Exchange *exchange; /* owned */
  GStrv     paths;
  char     *temp_dir;  /* decrypted copies (issue 10), removed with the merge */
} Merge;

/* A private folder of decrypted copies, one subfolder deep. */
static void
remove_private_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          g_autoptr(GDir) sub = g_dir_open (path, 0, NULL);
          const char *child;

          while (sub != NULL && (child = g_dir_read_name (sub)) != NULL)
            {
              g_autofree char *inner = g_build_filename (path, child, NULL);

              g_unlink (inner);
            }
          g_rmdir (path);
        }
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
merge_free (Merge *merge)
{
  exchange_free (merge->exchange);
  g_strfreev (merge->paths);
  if (merge->temp_dir != NULL)
    remove_private_dir (merge->temp_dir);
  g_free (merge->temp_dir);
  g_free (merge);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Merge, merge_free)

/* Shows documents if they differ from the list's (added, removed, renamed
 * or of another kind: a merge, codewerk-cli, another window), keeping the
 * selection; the shown document closes if it went. FALSE when the same. */
static gboolean
follow_documents (CwWindow  *self,
                  GPtrArray *documents)
{
  gint64 shown, first;
  gboolean same;

  same = documents->len == cw_document_list_get_n_documents (self->document_list);
  for (guint i = 0; same && i < documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, i);
      const CwDocumentInfo *listed = cw_document_list_lookup (self->document_list, info->id);

      same = listed != NULL && g_strcmp0 (listed->name, info->name) == 0 && listed->kind == info->kind &&
             listed->characters == info->characters;
    }
  if (same)
    return FALSE;

  first = show_documents (self, documents);
  shown = cw_transcript_view_get_document_id (self->transcript_view);
  if (shown != 0 && cw_document_list_lookup (self->document_list, shown) == NULL)
    {
      cancel_and_clear (&self->load_cancellable);
      cw_transcript_view_set_document (self->transcript_view, NULL);
      gtk_stack_set_visible_child_name (self->content_stack, "none");
      shown = 0;
    }
  if (shown == 0 && first > 0 && self->load_cancellable == NULL)
    {
      cw_document_list_select_document (self->document_list, first);
      document_selected_cb (self, first);
    }
  return TRUE;
}

/* A merge adds documents and undoing it takes them away; ::changed does
 * not say so, hence a look at the list after those steps (one query,
 * without the turns, which the list does not show). */
static void
sync_documents (CwWindow *self)
{
  g_autoptr(GPtrArray) documents = NULL;

  if (self->project == NULL)
    return;
  documents = cw_project_list_documents_brief (self->project, NULL);
  if (documents != NULL)
    follow_documents (self, documents);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(CwProject) project = _cw_project_open_without_listing_index (task_data, &error);

  return_listing (task, project, error);
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CwWindow *self = CW_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GArray) places = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->sync_cancellable)
    return;
  g_clear_object (&self->sync_cancellable);
  if (documents == NULL)
    {
      /* Could not list on the side (the file busy, say): here then. */
      sync_documents (self);
      return;
    }

  /* Where the user is now, not when the change was seen: the list may
   * have been scrolled meanwhile. */
  places = g_array_new (FALSE, FALSE, sizeof (ScrollPlace));
  g_array_set_clear_func (places, scroll_place_clear);
  collect_scroll_places (GTK_WIDGET (self), places);
  if (follow_documents (self, documents) && places->len > 0)
    {
      restore_scroll_places (places);
      gtk_widget_add_tick_callback (GTK_WIDGET (self), restore_scroll_places_late,
                                    g_steal_pointer (&places), (GDestroyNotify) g_array_unref);
    }
}

/* After another program's commit a worker lists the documents on a
 * connection of its own (2,000 documents were 45 ms on the main loop at
 * scale 10); the list follows when they are back. A newer change's
 * listing replaces an older one's. */
static void
sync_documents_aside (CwWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->project == NULL)
    return;
  cancel_and_clear (&self->sync_cancellable);
  self->sync_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->sync_cancellable, sync_done_cb, NULL);
  g_task_set_source_tag (task, sync_documents_aside);
  g_task_set_task_data (task, g_strdup (cw_project_get_path (self->project)), g_free);
  g_task_run_in_thread (task, sync_thread);
}

static void
merge_progress_cb (guint       done,
                   guint       total,
                   const char *current,
                   gpointer    user_data)
{
  CwWindow *self = user_data;
  g_autofree char *text = NULL;

  if (self->exchange_cancellable == NULL)
    return;

  gtk_progress_bar_set_fraction (self->import_progress, total > 0 ? (double) done / total : 0.0);
  if (current == NULL)
    text = g_strdup (_("Saving…"));
  else
    /* Translators: a project file or a document being merged, then how far the merge is. */
    text = g_strdup_printf (_("Merging %s (%u of %u)"), current, MIN (done + 1, total), total);
  gtk_label_set_text (self->import_label, text);
}

static void
show_merge_message (CwWindow   *self,
                    const char *heading,
                    const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
undo_merge (CwWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || !cw_project_can_undo (self->project))
    return;
  if (!cw_project_undo (self->project, &error))
    cw_window_show_error (self, error->message);
  else
    cw_window_show_toast (self, _("Merge undone: the project is as it was"));
  update_undo (self);
  sync_documents (self);
}

static char *
merge_summary (const CwMergeResult *result)
{
  guint n_files = g_strv_length (result->files);
  g_autofree char *merged = NULL;
  g_autofree char *added = NULL;
  g_autofree char *present = NULL;

  if (n_files == 1)
    {
      g_autofree char *name = g_path_get_basename (result->files[0]);

      /* Translators: the file merged into the project. */
      merged = g_strdup_printf (_("Merged “%s”"), name);
    }
  else
    merged = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Merged %u project", "Merged %u projects", n_files),
                              n_files);
  added = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u coding added", "%u codings added",
                                        result->codings_added),
                           result->codings_added);
  present = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u already present", "%u already present",
                                          result->codings_skipped),
                             result->codings_skipped);
  /* Translators: "Merged 2 projects", then "143 codings added", then "12 already present". */
  return g_strdup_printf (_("%s: %s, %s"), merged, added, present);
}

static void
merge_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(Merge) merge = user_data;
  CwWindow *self = merge->exchange->self;
  g_autoptr(CwMergeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  gboolean anything;

  /* This emits ::changed on success: codebook, codings and undo follow. */
  result = cw_project_merge_finish (CW_PROJECT (object), res, &error);
  g_idle_add_full (G_PRIORITY_LOW, release_window, g_object_ref (self), NULL);
  if (!exchange_end (merge->exchange) || self->project != CW_PROJECT (object))
    return;

  if (result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cw_window_show_toast (self, _("Merge cancelled: the project is unchanged"));
      else
        {
          g_autofree char *body = NULL;

          /* The core's errors name the file; with one file, make sure. */
          if (g_strv_length (merge->paths) == 1 && strstr (error->message, merge->paths[0]) == NULL)
            {
              g_autofree char *name = g_path_get_basename (merge->paths[0]);

              /* Translators: the file, then the reason it could not be merged. */
              body = g_strdup_printf (_("“%s”: %s\n\nNothing was merged: the project is unchanged."),
                                      name, error->message);
            }
          else
            /* Translators: the reason, which names the file. */
            body = g_strdup_printf (_("%s\n\nNothing was merged: the project is unchanged."), error->message);
          show_merge_message (self, _("Could Not Merge"), body);
        }
      return;
    }

  sync_documents (self);

  anything = result->documents_added + result->codes_added + result->codings_added + result->memos_added +
             result->groups_added + result->coders_added + result->cases_added + result->variables_added +
             result->case_values_added + result->case_links_added > 0;
  /* Something to look at: the review, with its own Undo Merge. */
  if (result->conflicts->len > 0 || result->warnings->len > 0)
    {
      CwMergeReviewDialog *dialog = cw_merge_review_dialog_new (GTK_WINDOW (self), result);

      g_signal_connect_object (dialog, "undo-merge", G_CALLBACK (undo_merge), self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  summary = merge_summary (result);
  if (anything)
    show_undo_toast (self, summary);
  else
    cw_window_show_toast (self, summary);
}

/* The same file by device and inode, so that a link or another spelling
 * of the path is caught too. */
static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  if (g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  return FALSE;
}

/* Takes paths and temp_dir. */
static void
start_merge (CwWindow *self,
             GStrv     paths,
             GFile    *first,
             char     *temp_dir)
{
  Merge *merge = g_new0 (Merge, 1);

  merge->paths = paths;
  merge->temp_dir = temp_dir;
  merge->exchange = exchange_begin (self, first, FALSE, TRUE, _("Merging…"));
  /* merge->exchange keeps the window alive until merge_cb, and merge_cb
   * until the progress reports queued behind it have been seen. */
  cw_project_merge_async (self->project, (const char * const *) merge->paths,
                          merge_progress_cb, self,
                          merge->exchange->cancellable, merge_cb, merge);
}

/* Merging encrypted copies: each one's passphrase asked in turn, each
 * decrypted to a private folder that goes with the merge. */
typedef struct
{
  CwWindow *self;     /* owned */
  GStrv     paths;
  GFile    *first;
  char     *temp_dir;
  char     *out_path; /* where the copy being unlocked goes */
  guint     index;
} Unlock;

static void
unlock_free (Unlock *unlock)
{
  g_object_unref (unlock->self);
  g_strfreev (unlock->paths);
  g_object_unref (unlock->first);
  if (unlock->temp_dir != NULL)
    remove_private_dir (unlock->temp_dir);
  g_free (unlock->temp_dir);
  g_free (unlock->out_path);
  g_free (unlock);
}

static void unlock_next (Unlock *unlock);

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Unlock *unlock = user_data;
  g_autoptr(GError) error = NULL;

  if (!cw_passphrase_dialog_decrypt_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *name = g_path_get_basename (unlock->paths[unlock->index]);
          /* Translators: the file, then the reason it could not be merged. */
          g_autofree char *body = g_strdup_printf (_("“%s”: %s\n\nNothing was merged: the project is unchanged."),
                                                   name, error->message);

          show_merge_message (unlock->self, _("Could Not Merge"), body);
        }
      unlock_free (unlock);
      return;
    }
  g_free (unlock->paths[unlock->index]);
  unlock->paths[unlock->index] = g_strdup (unlock->out_path);
  unlock->index++;
  unlock_next (unlock);
}

static void
unlock_next (Unlock *unlock)
{
  CwWindow *self = unlock->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) in = NULL;
  g_autoptr(GFile) out = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *out_path = NULL;

  while (unlock->paths[unlock->index] != NULL && !cw_crypt_is_encrypted (unlock->paths[unlock->index]))
    unlock->index++;
  if (unlock->paths[unlock->index] == NULL)
    {
      if (can_start_exchange (self))
        start_merge (self, g_steal_pointer (&unlock->paths), unlock->first, g_steal_pointer (&unlock->temp_dir));
      unlock_free (unlock);
      return;
    }

  if (unlock->temp_dir == NULL)
    unlock->temp_dir = g_dir_make_tmp ("codewerk-merge-XXXXXX", &error);
  /* One folder per copy: two copies may have the same name. */
  if (unlock->temp_dir != NULL)
    {
      sub = g_strdup_printf ("%s/%u", unlock->temp_dir, unlock->index);
      if (g_mkdir (sub, 0700) != 0)
        g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", sub, g_strerror (errno));
    }
  if (error != NULL)
    {
      show_merge_message (self, _("Could Not Merge"), error->message);
      unlock_free (unlock);
      return;
    }

  name = g_path_get_basename (unlock->paths[unlock->index]);
  if (g_str_has_suffix (name, "-enc"))
    name[strlen (name) - strlen ("-enc")] = '\0';
  else
    {
      char *with = g_strconcat (name, ".codewerk", NULL);

      g_free (name);
      name = with;
    }
  out_path = g_build_filename (sub, name, NULL);
  in = g_file_new_for_path (unlock->paths[unlock->index]);
  out = g_file_new_for_path (out_path);
  g_free (unlock->out_path);
  unlock->out_path = g_strdup (out_path);
  cw_passphrase_dialog_decrypt_async (GTK_WINDOW (self), in, out, NULL, unlock_cb, unlock);
}

static void
unlock_and_merge (CwWindow *self,
                  GStrv     paths,
                  GFile    *first)
{
  Unlock *unlock = g_new0 (Unlock, 1);

  unlock->self = g_object_ref (self);
  unlock->paths = paths;
  unlock->first = g_object_ref (first);
  unlock_next (unlock);
}

void
_cw_window_merge_files (CwWindow  *self,
                        GPtrArray *files)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (files != NULL);

  if (!can_start_exchange (self) || files->len == 0)
    return;

  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *name = file_display_name (file);
      g_autofree char *body = NULL;

      if (path == NULL)
        {
          /* Translators: a file's name. */
          body = g_strdup_printf (_("“%s” is not a local file. Copy it to this computer first."), name);
          show_merge_message (self, _("Could Not Merge"), body);
          return;
        }
      /* Merging a project into itself would only take the write lock it
       * is reading under; there is nothing in it to add. */
      if (same_file (path, cw_project_get_path (self->project)))
        {
          /* Translators: a file's name. */
          body = g_strdup_printf (_("“%s” is the project open in this window. Choose another coder’s copy of it: a Codewerk project or a REFI-QDA project (.qdpx)."),
                                  name);
          show_merge_message (self, _("Cannot Merge a Project into Itself"), body);
          return;
        }
      g_strv_builder_add (builder, path);
    }

  paths = g_strv_builder_end (builder);
  /* Encrypted copies are decrypted to a private folder first. */
  for (guint i = 0; paths[i] != NULL; i++)
    if (cw_crypt_is_encrypted (paths[i]))
      {
        unlock_and_merge (self, g_steal_pointer (&paths), g_ptr_array_index (files, 0));
        return;
      }
  start_merge (self, g_steal_pointer (&paths), g_ptr_array_index (files, 0), NULL);
}

static void
merge_response_cb (GtkNativeDialog *dialog,
                   int              response,
                   gpointer         user_data)
{
  g_autoptr(CwWindow) self = user_data;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) selected = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (selected); i++)
        g_ptr_array_add (files, g_list_model_get_item (selected, i));
      if (files->len > 0)
        {
          remember_folder (self, g_ptr_array_index (files, 0));
          _cw_window_merge_files (self, files);
        }
    }

  g_object_unref (dialog);
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  /* Coders' copies may come encrypted (.codewerk-enc, issue 10). */
  static const char *const all[] = { "codewerk", "qdpx", "codewerk-enc", NULL };
  static const char *const codewerk[] = { "codewerk", NULL };
  static const char *const qdpx[] = { "qdpx", NULL };
  GtkFileChooserNative *chooser;

  if (!can_start_exchange (self))
    return;

  chooser = gtk_file_chooser_native_new (_("Merge Projects"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Merge"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Coders’ copies"), all);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Codewerk projects"), codewerk);
  add_filter (GTK_FILE_CHOOSER (chooser), _("REFI-QDA projects"), qdpx);
  set_chooser_folder (self, GTK_FILE_CHOOSER (chooser));
  g_signal_connect (chooser, "response", G_CALLBACK (merge_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Inter-coder agreement and the review of disagreements */

static void
show_review (CwWindow *self)
{
  adw_view_stack_page_set_visible (self->review_page, TRUE);
  adw_view_stack_set_visible_child_name (self->view_stack, "review");
}

static void
review_requested_cb (CwWindow          *self,
                     CwAgreementDialog *dialog)
{
  g_autoptr(CwAgreementOptions) options = cw_agreement_dialog_get_options (dialog);
  g_autofree char *consensus = cw_agreement_dialog_get_consensus (dialog);

  if (options == NULL || self->project == NULL)
    return;
  cw_review_view_set_options (get_review_view (self), options, consensus);
  show_review (self);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
agreement_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  CwAgreementDialog *dialog;

  if (self->project == NULL)
    return;
  dialog = cw_agreement_dialog_new (GTK_WINDOW (self), self->project);
  g_signal_connect_object (dialog, "review-requested", G_CALLBACK (review_requested_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Without a comparison chosen yet: the first two coders other than the
 * consensus, every code and document. */
static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  if (self->project == NULL)
    return;
  if (!cw_review_view_has_options (get_review_view (self)))
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) coders = cw_project_list_coders (self->project, &error);
      g_autoptr(GStrvBuilder) chosen = g_strv_builder_new ();
      g_autoptr(CwAgreementOptions) options = cw_agreement_options_new ();
      const char *consensus = _("Consensus");
      guint n = 0;

      for (guint i = 0; coders != NULL && coders[i] != NULL && n < 2; i++)
        if (g_strcmp0 (coders[i], consensus) != 0 && g_strcmp0 (coders[i], "Consensus") != 0)
          {
            g_strv_builder_add (chosen, coders[i]);
            n++;
          }
      if (n == 2)
        {
          g_strfreev (options->coders);
          options->coders = g_strv_builder_end (chosen);
          cw_review_view_set_options (get_review_view (self), options, consensus);
        }
      else if (error != NULL)
        cw_window_show_error (self, error->message);
    }
  show_review (self);
}

static void
review_accepted_cb (CwWindow   *self,
                    const char *message)
{
  show_undo_toast (self, message);
}

/* Editing the text */

static void
edit_text_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  gboolean editing = !cw_transcript_view_get_editing (self->transcript_view);

  if (editing && !cw_transcript_view_get_can_edit (self->transcript_view))
    return;
  /* The text is edited where it is shown. */
  if (editing)
    adw_view_stack_set_visible_child_name (self->view_stack, "documents");
  cw_transcript_view_set_editing (self->transcript_view, editing);
}

/* Ctrl+H: find and replace, starting from the selected text or the
 * search's text. */
static void
replace_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->transcript_view));
  g_autofree char *find = NULL;
  GtkTextIter start, end;

  if (self->project == NULL)
    return;

  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end) &&
      gtk_text_iter_get_line (&start) == gtk_text_iter_get_line (&end))
    find = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  else if (gtk_search_bar_get_search_mode (self->search_bar) && !search_text_is_empty (self))
    find = g_strdup (search_text (self));
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  adw_view_stack_set_visible_child_name (self->view_stack, "documents");
  cw_replace_bar_open (self->replace_bar, find);
}

/* Recordings
 *
 * The document's recording plays in the bar under the transcript. The
 * keys are the transcribers' (F4 play or pause, F3/F5 five seconds back or
 * on, Shift for slower or faster, F8 the time of the turn at the cursor)
 * and work wherever the focus is, the text included. */

static gboolean
player_usable (CwWindow *self)
{
  CwPlayerState state = cw_player_bar_get_state (self->player_bar);

  return state == CW_PLAYER_READY || state == CW_PLAYER_LOADING;
}

static void
update_player_actions (CwWindow *self)
{
  gboolean has_document = self->project != NULL &&
                          cw_transcript_view_get_document_id (self->transcript_view) != 0;
  CwPlayerState state = cw_player_bar_get_state (self->player_bar);
  gboolean usable = has_document && player_usable (self);
  gboolean ready = has_document && state == CW_PLAYER_READY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.attach-recording", has_document);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.attach-recording-file", has_document);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.detach-recording", has_document && state != CW_PLAYER_NONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.locate-recording", has_document && state == CW_PLAYER_MISSING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.locate-recording-file", has_document && state == CW_PLAYER_MISSING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play-pause", usable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.skip-back", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.skip-forward", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.slower", usable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.faster", usable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.set-turn-time", ready);
  cw_transcript_view_set_can_play (self->transcript_view, usable);
}

/* The shown document's recording, read again: cheap (one row and a stat),
 * and the bar keeps its stream when the file is the same. */
static void
refresh_recording (CwWindow *self)
{
  g_autoptr(CwRecording) recording = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = cw_transcript_view_get_document_id (self->transcript_view);

  if (self->project != NULL && id != 0)
    {
      recording = cw_project_get_recording (self->project, id, &error);
      if (error != NULL)
        cw_window_show_error (self, error->message);
    }
  cw_player_bar_set_recording (self->player_bar, recording);
  if (recording == NULL)
    cw_transcript_view_set_play_position (self->transcript_view, -1);
  update_player_actions (self);
}

static void
player_state_cb (CwWindow *self)
{
  update_player_actions (self);
}

static void
player_position_cb (CwWindow *self)
{
  if (cw_player_bar_get_document_id (self->player_bar) != cw_transcript_view_get_document_id (self->transcript_view))
    return;
  cw_transcript_view_set_play_position (self->transcript_view, cw_player_bar_get_position (self->player_bar));
}

static void
play_requested_cb (CwWindow *self,
                   double    seconds)
{
  if (!player_usable (self))
    return;
  cw_player_bar_play_from (self->player_bar, seconds);
}

static void
attach_recording (CwWindow   *self,
                  const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *message = NULL;
  gint64 id = cw_transcript_view_get_document_id (self->transcript_view);

  if (self->project == NULL || id == 0)
    return;

  if (!cw_project_attach_recording (self->project, id, path, &error))
    {
      cw_window_show_error (self, error->message);
      return;
    }
  /* ::changed has shown it already; this covers a project that did not
   * signal. */
  refresh_recording (self);
  /* Translators: the file name of the recording just attached. */
  message = g_strdup_printf (_("Recording “%s” attached"), name);
  show_undo_toast (self, message);
}

static void
locate_recording (CwWindow   *self,
                  const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 id = cw_transcript_view_get_document_id (self->transcript_view);
  int n;

  if (self->project == NULL || id == 0)
    return;

  n = cw_project_relocate_recording (self->project, id, path, &error);
  if (n < 0)
    {
      cw_window_show_error (self, error->message);
      return;
    }
  refresh_recording (self);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Recording found: %d recording points to its new place",
                                          "Recordings found: %d recordings point to their new place",
                                          n),
                             n);
  show_undo_toast (self, message);
}

static void
recording_chooser_response_cb (GtkNativeDialog *dialog,
                               int              response,
                               gpointer         user_data)
{
  CwWindow *self = user_data;
  gboolean locate = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "locate"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL && locate)
        locate_recording (self, path);
      else if (path != NULL)
        attach_recording (self, path);
    }

  g_object_unref (dialog);
  g_object_unref (self);
}

static void
run_recording_chooser (CwWindow *self,
                       gboolean  locate)
{
  static const char *const suffixes[] = { "mp3", "m4a", "aac", "wav", "ogg", "oga", "opus", "flac",
                                          "mp4", "m4v", "mov", "webm", "mkv", NULL };
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(CwRecording) recording = NULL;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (locate ? _("Locate Recording") : _("Attach Recording"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         locate ? _("_Select") : _("_Attach"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Audio and video"));
  gtk_file_filter_add_mime_type (filter, "audio/*");
  gtk_file_filter_add_mime_type (filter, "video/*");
  for (guint i = 0; suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  /* Start where the recording was, or in the project's folder. */
  recording = cw_project_get_recording (self->project, cw_transcript_view_get_document_id (self->transcript_view), NULL);
  {
    g_autofree char *folder = NULL;
    g_autoptr(GFile) dir = NULL;

    if (recording != NULL && recording->original_path != NULL)
      folder = g_path_get_dirname (recording->original_path);
    if (folder == NULL || !g_file_test (folder, G_FILE_TEST_IS_DIR))
      {
        g_free (folder);
        folder = g_path_get_dirname (cw_project_get_path (self->project));
      }
    dir = g_file_new_for_path (folder);
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir, NULL);
  }

  g_object_set_data (G_OBJECT (chooser), "locate", GINT_TO_POINTER (locate));
  g_signal_connect (chooser, "response", G_CALLBACK (recording_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
attach_recording_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  if (self->project == NULL || cw_transcript_view_get_document_id (self->transcript_view) == 0)
    return;
  if (parameter != NULL)
    attach_recording (self, g_variant_get_string (parameter, NULL));
  else
    run_recording_chooser (self, FALSE);
}

static void
locate_recording_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  if (self->project == NULL || cw_transcript_view_get_document_id (self->transcript_view) == 0)
    return;
  if (parameter != NULL)
    locate_recording (self, g_variant_get_string (parameter, NULL));
  else
    run_recording_chooser (self, TRUE);
}

static void
locate_requested_cb (CwWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.locate-recording", NULL);
}

static void
detach_recording_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gint64 id = cw_transcript_view_get_document_id (self->transcript_view);

  if (self->project == NULL || id == 0)
    return;
  if (!cw_project_detach_recording (self->project, id, &error))
    {
      cw_window_show_error (self, error->message);
      return;
    }
  refresh_recording (self);
  show_undo_toast (self, _("Recording detached"));
}

static void
player_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  CwPlayerBar *bar = self->player_bar;

  if (!player_usable (self))
    return;
  if (g_str_equal (action_name, "win.play-pause"))
    cw_player_bar_toggle_playing (bar);
  else if (g_str_equal (action_name, "win.skip-back"))
    cw_player_bar_skip (bar, -CW_PLAYER_SKIP);
  else if (g_str_equal (action_name, "win.skip-forward"))
    cw_player_bar_skip (bar, CW_PLAYER_SKIP);
  else if (g_str_equal (action_name, "win.slower"))
    cw_player_bar_set_speed (bar, cw_player_bar_get_speed (bar) - CW_PLAYER_SPEED_STEP);
  else if (g_str_equal (action_name, "win.faster"))
    cw_player_bar_set_speed (bar, cw_player_bar_get_speed (bar) + CW_PLAYER_SPEED_STEP);
}

/* F8 while listening: the turn at the cursor starts now. */
static void
set_turn_time_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *time = NULL;
  g_autofree char *message = NULL;
  gint64 id = cw_transcript_view_get_document_id (self->transcript_view);
  double position = cw_player_bar_get_position (self->player_bar);
  int turn;

  if (self->project == NULL || id == 0 || position < 0)
    return;

  turn = cw_transcript_view_get_turn_at_cursor (self->transcript_view);
  if (turn < 0)
    {
      cw_window_show_toast (self, _("Click in a turn first: F8 sets the time of the turn at the cursor"));
      return;
    }
  cw_transcript_view_end_edit_burst (self->transcript_view);
  if (!cw_project_set_turn_time (self->project, id, (guint) turn, position, &error))
    {
      cw_window_show_error (self, error->message);
      return;
    }
  time = cw_timestamp_gutter_format (position);
  /* Translators: a turn's number in the document, then a time as 00:03:15. */
  message = g_strdup_printf (_("Turn %d starts at %s"), turn + 1, time);
  show_undo_toast (self, message);
}

/* Window state */

static gboolean
cw_window_close_request (GtkWindow *window)
{
  CwWindow *self = CW_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (self->project != NULL)
    g_settings_set_int (self->settings, "sidebar-width",
                        CLAMP (gtk_paned_get_position (self->paned), 160, 1200));
  if (self->project != NULL && self->codebook_sized)
    {
      int total = gtk_widget_get_width (GTK_WIDGET (self->content_paned));

      g_settings_set_int (self->settings, "codebook-width",
                          CLAMP (total - gtk_paned_get_position (self->content_paned), 160, 1200));
    }

  return FALSE;
}

/* Backups (issue 11): one in a worker each time a project is opened (the
 * core skips it when nothing changed), and restoring one. */

typedef struct
{
  CwWindow     *window;      /* owned */
  GCancellable *cancellable; /* owned: tells whether the window moved on */
} BackupJob;

static BackupJob *
backup_job_new (CwWindow     *window,
                GCancellable *cancellable)
{
  BackupJob *job = g_new0 (BackupJob, 1);

  job->window = g_object_ref (window);
  job->cancellable = g_object_ref (cancellable);
  return job;
}

static void
backup_job_free (BackupJob *job)
{
  g_object_unref (job->window);
  g_object_unref (job->cancellable);
  g_free (job);
}

static void
backup_made_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BackupJob *job = user_data;
  CwWindow *self = job->window;
  g_autoptr(GError) error = NULL;

  if (!cw_backup_make_finish (result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      self->backup_cancellable == job->cancellable)
    {
      /* Translators: %s says why, naming the file. */
      g_autofree char *message = g_strdup_printf (_("No backup was made: %s"), error->message);

      cw_window_show_error (self, message);
    }
  if (self->backup_cancellable == job->cancellable)
    g_clear_object (&self->backup_cancellable);
  backup_job_free (job);
}

static void
start_backup (CwWindow *self)
{
  int keep = g_settings_get_int (self->settings, "backup-count");

  cancel_and_clear (&self->backup_cancellable);
  if (self->project == NULL || keep <= 0)
    return;
  /* A worker with its own connection: a big project takes seconds. */
  self->backup_cancellable = g_cancellable_new ();
  cw_backup_make_async (cw_project_get_path (self->project), (guint) keep, CW_BACKUP_FLAGS_NONE,
                        self->backup_cancellable, backup_made_cb,
                        backup_job_new (self, self->backup_cancellable));
}

/* The backup made on opening waits for the window's first frame with the
 * project: its worker reads the whole file, and beside the first layout it
 * cost 12-18 MiB more at that frame and one of two cores. A window that
 * draws nothing (minimised) does not hold it up for long. */
static void
stop_waiting_for_paint (CwWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->backup_paint_handler != 0 && clock != NULL &&
      g_signal_handler_is_connected (clock, self->backup_paint_handler))
    g_signal_handler_disconnect (clock, self->backup_paint_handler);
  self->backup_paint_handler = 0;
  g_clear_handle_id (&self->backup_paint_timeout, g_source_remove);
}

static void
backup_after_paint_cb (CwWindow      *self,
                       GdkFrameClock *clock)
{
  stop_waiting_for_paint (self);
  start_backup (self);
}

static gboolean
backup_paint_timeout_cb (gpointer data)
{
  CwWindow *self = data;

  self->backup_paint_timeout = 0;
  stop_waiting_for_paint (self);
  start_backup (self);
  return G_SOURCE_REMOVE;
}

static void
start_backup_after_paint (CwWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  /* Already waiting: start_backup takes the project shown then. */
  if (self->backup_paint_handler != 0)
    return;
  /* No frame coming (a window not shown): at once, as before. */
  if (clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      start_backup (self);
      return;
    }
  cancel_and_clear (&self->backup_cancellable);
  self->backup_paint_handler = g_signal_connect_object (clock, "after-paint", G_CALLBACK (backup_after_paint_cb),
                                                        self, G_CONNECT_SWAPPED);
  self->backup_paint_timeout = g_timeout_add_seconds (2, backup_paint_timeout_cb, self);
}

gboolean
_cw_window_is_backing_up (CwWindow *self)
{
  return self->backup_cancellable != NULL || self->backup_paint_handler != 0;
}

static void
backup_restored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BackupJob *job = user_data;
  CwWindow *self = job->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *undo = NULL;
  gboolean current = self->restore_cancellable == job->cancellable;

  if (current)
    g_clear_object (&self->restore_cancellable);
  if (!cw_backup_restore_finish (result, &undo, &error))
    {
      if (current && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cw_window_show_error (self, error->message);
    }
  else if (current && self->project != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (cw_project_get_path (self->project));

      /* Every view reads the restored project afresh. */
      if (cw_window_open_file (self, file, &error))
        cw_window_show_toast (self, _("Backup restored. To undo, restore the backup made just before it."));
      else
        cw_window_show_error (self, error->message);
    }
  if (current)
    update_actions (self);
  backup_job_free (job);
}

void
_cw_window_restore_backup (CwWindow   *self,
                           const char *backup_path)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (backup_path != NULL);

  if (self->project == NULL || self->restore_cancellable != NULL)
    return;
  /* Text typed so far belongs to the state that is backed up first. */
  if (!cw_project_end_edit_burst (self->project, &error))
    {
      cw_window_show_error (self, error->message);
      return;
    }
  self->restore_cancellable = g_cancellable_new ();
  update_actions (self);
  cw_backup_restore_async (cw_project_get_path (self->project), backup_path, self->restore_cancellable,
                           backup_restored_cb, backup_job_new (self, self->restore_cancellable));
}

static void
backup_dialog_restore_cb (CwBackupDialog *dialog,
                          const char     *backup_path,
                          gpointer        user_data)
{
  _cw_window_restore_backup (CW_WINDOW (user_data), backup_path);
}

static void
restore_backup_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  CwBackupDialog *dialog;

  if (self->project == NULL)
    return;
  dialog = cw_backup_dialog_new (GTK_WINDOW (self), cw_project_get_path (self->project));
  g_signal_connect_object (dialog, "restore", G_CALLBACK (backup_dialog_restore_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cw_window_dispose (GObject *object)
{
  CwWindow *self = CW_WINDOW (object);

  cancel_and_clear (&self->load_cancellable);
  cancel_and_clear (&self->listing_cancellable);
  cancel_and_clear (&self->sync_cancellable);
  cancel_and_clear (&self->highlight_cancellable);
  cancel_and_clear (&self->results_cancellable);
  cancel_and_clear (&self->import_cancellable);
  cancel_and_clear (&self->exchange_cancellable);
  cancel_and_clear (&self->matrix_cancellable);
  cancel_and_clear (&self->backup_cancellable);
  stop_waiting_for_paint (self);
  cancel_and_clear (&self->restore_cancellable);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, update_recent, self);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->scroll_places, g_array_unref);
  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->project, project_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->project, external_change_cb, self);
    }
  if (self->coding_toast != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->coding_toast, coding_toast_dismissed_cb, self);
      self->coding_toast = NULL;
    }

  /* Taking the pages down must not build the ones never shown. */
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_func (self->view_stack, visible_page_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_WINDOW);
  memset (self->page_bins, 0, sizeof self->page_bins);

  g_clear_object (&self->project);
  g_clear_pointer (&self->results_filler, cw_list_filler_free);
  g_clear_object (&self->results);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cw_window_parent_class)->dispose (object);
}

static void
cw_window_finalize (GObject *object)
{
  CwWindow *self = CW_WINDOW (object);

  g_free (self->last_toast);

  G_OBJECT_CLASS (cw_window_parent_class)->finalize (object);
}

static void
cw_window_class_init (CwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cw_window_dispose;
  object_class->finalize = cw_window_finalize;
  window_class->close_request = cw_window_close_request;

  g_type_ensure (CW_TYPE_DOCUMENT_LIST);
  g_type_ensure (CW_TYPE_TRANSCRIPT_VIEW);
  g_type_ensure (CW_TYPE_CODEBOOK_PANEL);
  g_type_ensure (CW_TYPE_EDIT_BANNER);
  g_type_ensure (CW_TYPE_REPLACE_BAR);
  g_type_ensure (CW_TYPE_PLAYER_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, content_paned);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, codebook_panel);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, import_label);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, search_all_button);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, search_status);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, recent_box);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, recent_section);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, document_list);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, results_status);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, no_document_page);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, no_document_import);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, transcript_view);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, replace_bar);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, player_bar);

  gtk_widget_class_bind_template_callback (widget_class, document_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_scope_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_coding_cb);
  gtk_widget_class_bind_template_callback (widget_class, content_paned_sized_cb);

  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.search-all", NULL, search_all_action);
  gtk_widget_class_install_action (widget_class, "win.search-next", NULL, search_next_action);
  gtk_widget_class_install_action (widget_class, "win.search-previous", NULL, search_previous_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.coder-name", NULL, coder_name_action);
  gtk_widget_class_install_action (widget_class, "win.autocode", NULL, autocode_action);
  gtk_widget_class_install_action (widget_class, "win.export-project", NULL, export_project_action);
  gtk_widget_class_install_action (widget_class, "win.export-codebook", NULL, export_codebook_action);
  gtk_widget_class_install_action (widget_class, "win.import-codebook", NULL, import_codebook_action);
  gtk_widget_class_install_action (widget_class, "win.export-matrix", NULL, export_matrix_action);
  gtk_widget_class_install_action (widget_class, "win.agreement", NULL, agreement_action);
  gtk_widget_class_install_action (widget_class, "win.review", NULL, review_action);
  gtk_widget_class_install_action (widget_class, "win.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "win.export-pseudonymised", NULL, export_pseudonymised_action);
  gtk_widget_class_install_action (widget_class, "win.pseudonymised-copy", NULL, pseudonymised_copy_action);
  gtk_widget_class_install_action (widget_class, "win.encrypted-copy", NULL, encrypted_copy_action);
  gtk_widget_class_install_action (widget_class, "win.restore-backup", NULL, restore_backup_action);
  gtk_widget_class_install_action (widget_class, "win.edit-text", NULL, edit_text_action);
  gtk_widget_class_install_action (widget_class, "win.replace", NULL, replace_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-project", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.search-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.search-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.search-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.search-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_G, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.search-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.agreement", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_K, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.agreement", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.review", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.review", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.edit-text", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.edit-text", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "win.replace", NULL);

  /* Recordings: the keys of transcription software (F4, F3/F5, F8). */
  gtk_widget_class_install_action (widget_class, "win.attach-recording", NULL, attach_recording_action);
  gtk_widget_class_install_action (widget_class, "win.attach-recording-file", "s", attach_recording_action);
  gtk_widget_class_install_action (widget_class, "win.detach-recording", NULL, detach_recording_action);
  gtk_widget_class_install_action (widget_class, "win.locate-recording", NULL, locate_recording_action);
  gtk_widget_class_install_action (widget_class, "win.locate-recording-file", "s", locate_recording_action);
  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, player_action);
  gtk_widget_class_install_action (widget_class, "win.skip-back", NULL, player_action);
  gtk_widget_class_install_action (widget_class, "win.skip-forward", NULL, player_action);
  gtk_widget_class_install_action (widget_class, "win.slower", NULL, player_action);
  gtk_widget_class_install_action (widget_class, "win.faster", NULL, player_action);
  gtk_widget_class_install_action (widget_class, "win.set-turn-time", NULL, set_turn_time_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F4, 0, "win.play-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, 0, "win.skip-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.skip-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.skip-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.skip-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, GDK_SHIFT_MASK, "win.slower", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, GDK_SHIFT_MASK, "win.faster", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "win.set-turn-time", NULL);
}

/* The pages beyond the documents. Building them all with the window cost
 * a fifth of the start-up (their templates, then styling and measuring
 * them hidden), so each page is an empty bin until it is first shown or
 * one of its views is asked for. */

static const struct
{
  const char *name;
  const char *title;
  const char *icon_name;
} pages[N_PAGES] = {
  /* The second view of a project: coded segments back out. */
  [PAGE_RETRIEVAL] = { "retrieval", N_("Retrieval"), "edit-find-symbolic" },
  /* The cohort: its cases, and the codes crossed with their variables. */
  [PAGE_CASES] = { "cases", N_("Cases"), "system-users-symbolic" },
  [PAGE_CROSSTAB] = { "crosstab", N_("Crosstab"), "view-grid-symbolic" },
  /* The pseudonym table (issue 10), beside the cases it protects. */
  [PAGE_PSEUDONYMS] = { "pseudonyms", N_("Pseudonyms"), "security-high-symbolic" },
  /* The coding at a glance: code map, frequencies, co-occurrence. */
  [PAGE_OVERVIEW] = { "overview", N_("Overview"), "view-app-grid-symbolic" },
  [PAGE_REVIEW] = { "review", N_("Review"), "emblem-default-symbolic" },
};

/* The page's view, or NULL while it is not built. */
static GtkWidget *
page_view (CwWindow *self,
           Page      page)
{
  return self->page_bins[page] != NULL ? adw_bin_get_child (self->page_bins[page]) : NULL;
}

static void
set_page_project (CwWindow *self,
                  Page      page)
{
  switch (page)
    {
    case PAGE_RETRIEVAL:
      cw_retrieval_view_set_project (self->retrieval_view, self->project);
      break;
    case PAGE_CASES:
      cw_cases_view_set_project (self->cases_view, self->project);
      break;
    case PAGE_CROSSTAB:
      cw_crosstab_view_set_project (self->crosstab_view, self->project);
      break;
    case PAGE_PSEUDONYMS:
      cw_pseudonym_view_set_project (self->pseudonym_view, self->project);
      break;
    case PAGE_OVERVIEW:
      cw_overview_view_set_project (self->overview_view, self->project);
      break;
    case PAGE_REVIEW:
      cw_review_view_set_project (self->review_view, self->project);
      break;
    case N_PAGES:
    default:
      g_assert_not_reached ();
    }
}

/* The project to the pages built so far; the others take it when built. */
static void
set_pages_project (CwWindow *self)
{
  for (Page page = 0; page < N_PAGES; page++)
    if (page_view (self, page) != NULL && self->project != NULL)
      set_page_project (self, page);
}

static void
build_page (CwWindow *self,
            Page      page)
{
  GtkWidget *view;

  if (self->page_bins[page] == NULL || page_view (self, page) != NULL)
    return;

  switch (page)
    {
    case PAGE_RETRIEVAL:
      self->retrieval_view = cw_retrieval_view_new ();
      view = GTK_WIDGET (self->retrieval_view);
      g_signal_connect_swapped (view, "segment-activated", G_CALLBACK (segment_activated_cb), self);
      g_signal_connect_swapped (view, "play-requested", G_CALLBACK (segment_play_cb), self);
      g_signal_connect_swapped (view, "message", G_CALLBACK (retrieval_message_cb), self);
      break;
    case PAGE_CASES:
      self->cases_view = cw_cases_view_new ();
      view = GTK_WIDGET (self->cases_view);
      g_signal_connect_swapped (view, "message", G_CALLBACK (retrieval_message_cb), self);
      g_signal_connect_swapped (view, "undoable-message", G_CALLBACK (show_undo_toast), self);
      break;
    case PAGE_CROSSTAB:
      self->crosstab_view = cw_crosstab_view_new ();
      view = GTK_WIDGET (self->crosstab_view);
      g_signal_connect_swapped (view, "message", G_CALLBACK (retrieval_message_cb), self);
      break;
    case PAGE_PSEUDONYMS:
      self->pseudonym_view = cw_pseudonym_view_new ();
      view = GTK_WIDGET (self->pseudonym_view);
      g_signal_connect_swapped (view, "message", G_CALLBACK (retrieval_message_cb), self);
      g_signal_connect_swapped (view, "undoable-message", G_CALLBACK (show_undo_toast), self);
      break;
    case PAGE_OVERVIEW:
      self->overview_view = cw_overview_view_new ();
      view = GTK_WIDGET (self->overview_view);
      g_signal_connect_swapped (view, "message", G_CALLBACK (retrieval_message_cb), self);
      g_signal_connect_swapped (view, "cell-activated", G_CALLBACK (overview_cell_activated_cb), self);
      break;
    case PAGE_REVIEW:
      self->review_view = cw_review_view_new ();
      view = GTK_WIDGET (self->review_view);
      g_signal_connect_swapped (view, "message", G_CALLBACK (retrieval_message_cb), self);
      g_signal_connect_swapped (view, "accepted", G_CALLBACK (review_accepted_cb), self);
      break;
    case N_PAGES:
    default:
      g_assert_not_reached ();
    }

  adw_bin_set_child (self->page_bins[page], view);
  if (self->project != NULL)
    set_page_project (self, page);
}

static void
visible_page_cb (CwWindow *self)
{
  GtkWidget *child = adw_view_stack_get_visible_child (self->view_stack);

  for (Page page = 0; page < N_PAGES; page++)
    if (child == GTK_WIDGET (self->page_bins[page]))
      build_page (self, page);
}

static CwRetrievalView *
get_retrieval_view (CwWindow *self)
{
  build_page (self, PAGE_RETRIEVAL);
  build_page (self, PAGE_RETRIEVAL);
  return self->retrieval_view;
}

static CwReviewView *
get_review_view (CwWindow *self)
{
  build_page (self, PAGE_REVIEW);
  return self->review_view;
}

static void
cw_window_init (CwWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSingleSelection) selection = NULL;
  GtkEventController *controller;
  GtkShortcut *shortcut;
  AdwViewStackPage *page;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The views beside the documents, built when first shown. The title's
   * two view switchers rebuild all their buttons on every page added
   * (libadwaita 1.2): 56 buttons for 7 pages one by one, 7 % of the
   * start-up. So the title is bound to the stack (not in the template)
   * once every page is in, and builds its 14 buttons once. */
  for (guint i = 0; i < N_PAGES; i++)
    {
      self->page_bins[i] = ADW_BIN (adw_bin_new ());
      page = adw_view_stack_add_titled (self->view_stack, GTK_WIDGET (self->page_bins[i]),
                                        pages[i].name, _(pages[i].title));
      adw_view_stack_page_set_icon_name (page, pages[i].icon_name);
      if (i == PAGE_REVIEW)
        self->review_page = page;
    }
  /* Reviewing disagreements: a page, so that the window's undo and the
   * Documents view are at hand; shown once a review starts. */
  adw_view_stack_page_set_visible (self->review_page, FALSE);
  adw_view_switcher_title_set_stack (self->window_title, self->view_stack);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (visible_page_cb), self);

  /* Editing the text: its warnings, and find and replace. */
  g_signal_connect_swapped (self->transcript_view, "message", G_CALLBACK (retrieval_message_cb), self);
  g_signal_connect_swapped (self->transcript_view, "undoable-message", G_CALLBACK (show_undo_toast), self);
  cw_replace_bar_set_view (self->replace_bar, self->transcript_view);
  g_signal_connect_swapped (self->replace_bar, "message", G_CALLBACK (retrieval_message_cb), self);
  g_signal_connect_swapped (self->replace_bar, "undoable-message", G_CALLBACK (show_undo_toast), self);

  /* The recording under the transcript. */
  g_signal_connect_swapped (self->player_bar, "notify::state", G_CALLBACK (player_state_cb), self);
  g_signal_connect_swapped (self->player_bar, "notify::position", G_CALLBACK (player_position_cb), self);
  g_signal_connect_swapped (self->player_bar, "locate-requested", G_CALLBACK (locate_requested_cb), self);
  g_signal_connect_swapped (self->transcript_view, "play-requested", G_CALLBACK (play_requested_cb), self);

  self->pending_start = self->pending_end = -1;
  self->pending_play = -1;
  self->settings = g_settings_new (APP_ID);
  self->results = g_list_store_new (CW_TYPE_SEARCH_RESULT);
  self->results_filler = cw_list_filler_new (GTK_WIDGET (self), self->results, NULL, NULL);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_changed_cb), NULL);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  gtk_paned_set_position (self->paned, g_settings_get_int (self->settings, "sidebar-width"));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_result), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_result), NULL);
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->results)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_list_view_set_factory (self->results_list, factory);
  gtk_list_view_set_model (self->results_list, GTK_SELECTION_MODEL (selection));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (search_mode_changed_cb), self);

  /* Shift+Enter in the entry goes back, as in GNOME Text Editor. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                               gtk_named_action_new ("win.search-previous"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK),
                               gtk_named_action_new ("win.search-previous"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), controller);

  /* Ctrl+Shift+A before the transcript sees it: there it would drop the
   * selection that the dialog is to search for. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  shortcut = gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                                                            gtk_keyval_trigger_new (GDK_KEY_A, GDK_CONTROL_MASK | GDK_SHIFT_MASK)),
                               gtk_named_action_new ("win.autocode"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect_swapped (self->settings, "changed::recent-projects", G_CALLBACK (update_recent), self);
  update_recent (self);

  gtk_stack_set_visible_child_name (self->main_stack, "empty");
  update_actions (self);
  update_player_actions (self);
}

CwWindow *
cw_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (CW_TYPE_WINDOW, "application", application, NULL);
}

/* For the tests */

CwDocumentList *
_cw_window_get_document_list (CwWindow *self)
{
  return self->document_list;
}

CwTranscriptView *
_cw_window_get_transcript_view (CwWindow *self)
{
  return self->transcript_view;
}

CwCodebookPanel *
_cw_window_get_codebook_panel (CwWindow *self)
{
  return self->codebook_panel;
}

CwRetrievalView *
_cw_window_get_retrieval_view (CwWindow *self)
{
  build_page (self, PAGE_RETRIEVAL);
  return self->retrieval_view;
}

CwCasesView *
_cw_window_get_cases_view (CwWindow *self)
{
  build_page (self, PAGE_CASES);
  return self->cases_view;
}

CwCrosstabView *
_cw_window_get_crosstab_view (CwWindow *self)
{
  build_page (self, PAGE_CROSSTAB);
  return self->crosstab_view;
}

CwPseudonymView *
_cw_window_get_pseudonym_view (CwWindow *self)
{
  build_page (self, PAGE_PSEUDONYMS);
  return self->pseudonym_view;
}

CwOverviewView *
_cw_window_get_overview_view (CwWindow *self)
{
  build_page (self, PAGE_OVERVIEW);
  return self->overview_view;
}

CwReviewView *
_cw_window_get_review_view (CwWindow *self)
{
  return get_review_view (self);
}

AdwViewStack *
_cw_window_get_view_stack (CwWindow *self)
{
  return self->view_stack;
}

GtkSearchEntry *
_cw_window_get_search_entry (CwWindow *self)
{
  return self->search_entry;
}

GtkLabel *
_cw_window_get_search_status (CwWindow *self)
{
  return self->search_status;
}

GtkListView *
_cw_window_get_results_list (CwWindow *self)
{
  return self->results_list;
}

GListModel *
_cw_window_get_results (CwWindow *self)
{
  return G_LIST_MODEL (self->results);
}

const char *
_cw_window_get_page (CwWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
_cw_window_get_sidebar_page (CwWindow *self)
{
  return gtk_stack_get_visible_child_name (self->sidebar_stack);
}

GtkLabel *
_cw_window_get_results_status (CwWindow *self)
{
  return self->results_status;
}

gboolean
_cw_window_is_busy (CwWindow *self)
{
  return self->load_cancellable != NULL ||
         self->listing_cancellable != NULL ||
         self->sync_cancellable != NULL ||
         _cw_codebook_panel_is_counting (self->codebook_panel) ||
         _cw_document_list_is_filling (self->document_list) ||
         self->highlight_cancellable != NULL ||
         self->results_cancellable != NULL ||
         self->import_cancellable != NULL ||
         self->exchange_cancellable != NULL ||
         self->matrix_cancellable != NULL ||
         self->restore_cancellable != NULL ||
         (self->results_filler != NULL && cw_list_filler_is_busy (self->results_filler));
}

const char *
_cw_window_get_last_toast (CwWindow *self)
{
  return self->last_toast;
}
