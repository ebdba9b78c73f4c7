/* cw-merge-review-dialog.c: the review of a merge with conflicts.
 *
 * Built once from a CwMergeResult and then only read: the rows are plain
 * AdwActionRows in AdwPreferencesGroups, one group per kind of conflict,
 * so that a reader sees all renamed codes together, then all documents
 * whose text differs, and so on. The same text goes to the clipboard.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cw-merge-review-dialog.h"

/* More rows than anyone reads in a dialog; the copied report has them all. */
#define MAX_ROWS_PER_GROUP 200

struct _CwMergeReviewDialog
{
  AdwWindow            parent_instance;

  /* template */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkButton           *undo_button;
  GtkButton           *keep_button;
  GtkImage            *status_icon;
  GtkLabel            *heading_label;
  GtkLabel            *intro_label;
  AdwPreferencesGroup *summary_group;
  GtkBox              *conflicts_box;
  AdwPreferencesGroup *warnings_group;

  /* owned */
  char                *report;
};

G_DEFINE_FINAL_TYPE (CwMergeReviewDialog, cw_merge_review_dialog, ADW_TYPE_WINDOW)

enum
{
  UNDO_MERGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The kinds in the order the groups are shown, with their icons. */
static const struct
{
  CwMergeConflictKind  kind;
  const char          *icon;
} kinds[] = {
  { CW_MERGE_CONFLICT_CODE_RENAMED, "document-edit-symbolic" },
  { CW_MERGE_CONFLICT_DOCUMENT_TEXT, "text-x-generic-symbolic" },
  { CW_MERGE_CONFLICT_MEMO_TEXT, "accessories-text-editor-symbolic" },
  { CW_MERGE_CONFLICT_CASE_VALUE, "avatar-default-symbolic" },
  { CW_MERGE_CONFLICT_VARIABLE_TYPE, "view-grid-symbolic" },
  { CW_MERGE_CONFLICT_VALUE_LABEL, "view-list-symbolic" },
  { CW_MERGE_CONFLICT_CASE_LINK, "insert-link-symbolic" },
};

static char *
group_title (CwMergeConflictKind kind,
             guint               n)
{
  switch (kind)
    {
    case CW_MERGE_CONFLICT_CODE_RENAMED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Renamed or Moved Code",
                                           "%u Renamed or Moved Codes", n), n);
    case CW_MERGE_CONFLICT_DOCUMENT_TEXT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Document with Another Text",
                                           "%u Documents with Another Text", n), n);
    case CW_MERGE_CONFLICT_MEMO_TEXT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Memo with Another Text",
                                           "%u Memos with Another Text", n), n);
    case CW_MERGE_CONFLICT_CASE_VALUE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Different Case Value",
                                           "%u Different Case Values", n), n);
    case CW_MERGE_CONFLICT_VARIABLE_TYPE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Variable of Another Type",
                                           "%u Variables of Another Type", n), n);
    case CW_MERGE_CONFLICT_VALUE_LABEL:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Different Value Label",
                                           "%u Different Value Labels", n), n);
    case CW_MERGE_CONFLICT_CASE_LINK:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Case Link Not Merged",
                                           "%u Case Links Not Merged", n), n);
    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle,
         const char          *icon,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  /* Names of codes and documents may hold & or <: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (icon != NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon);

      gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
    }
  if (value != NULL)
    {
      GtkWidget *label = gtk_label_new (value);

      /* Short figures: on one line, the title wraps instead. */
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_preferences_group_add (group, row);
  return row;
}

/* The summary: always documents, codes and codings; the rest when there
 * is something to say. */
static void
build_summary (CwMergeReviewDialog *self,
               const CwMergeResult *result,
               GString             *report)
{
  g_autoptr(GPtrArray) also = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *documents = NULL;
  g_autofree char *codes = NULL;
  g_autofree char *codings = NULL;
  const char *skipped_note = NULL;

  /* Translators: documents (or codes) new to this project, then those it had already. */
  documents = g_strdup_printf (_("%u added, %u already here"), result->documents_added, result->documents_matched);
  codes = g_strdup_printf (_("%u added, %u already here"), result->codes_added, result->codes_matched);
  /* Translators: codings new to this project, then codings not merged. */
  codings = g_strdup_printf (_("%u added, %u skipped"), result->codings_added, result->codings_skipped);
  if (result->codings_skipped > 0)
    skipped_note = _("Skipped: already here, or on a document whose text differs");

  add_row (self->summary_group, _("Documents"), NULL, NULL, documents);
  add_row (self->summary_group, _("Codes"), NULL, NULL, codes);
  add_row (self->summary_group, _("Codings"), skipped_note, NULL, codings);
  g_string_append_printf (report, "%s: %s\n%s: %s\n%s: %s\n",
                          _("Documents"), documents, _("Codes"), codes, _("Codings"), codings);

  if (result->coders_added > 0)
    g_ptr_array_add (also, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u coder", "%u coders", result->coders_added), result->coders_added));
  if (result->memos_added > 0)
    g_ptr_array_add (also, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u memo", "%u memos", result->memos_added), result->memos_added));
  if (result->groups_added > 0)
    g_ptr_array_add (also, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document group", "%u document groups", result->groups_added), result->groups_added));
  if (result->cases_added > 0)
    g_ptr_array_add (also, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases", result->cases_added), result->cases_added));
  if (result->variables_added > 0)
    g_ptr_array_add (also, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u variable", "%u variables", result->variables_added), result->variables_added));
  if (result->case_values_added > 0)
    g_ptr_array_add (also, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case value", "%u case values", result->case_values_added), result->case_values_added));
  if (result->case_links_added > 0)
    g_ptr_array_add (also, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case link", "%u case links", result->case_links_added), result->case_links_added));
  if (also->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (also, NULL);
      /* Translators: the separator in a list such as "2 coders, 3 memos". */
      list = g_strjoinv (_(", "), (char **) also->pdata);
      /* A list that may be long: below the title, where it can wrap. */
      add_row (self->summary_group, _("Also Added"), list, NULL, NULL);
      g_string_append_printf (report, "%s: %s\n", _("Also Added"), list);
    }
}

static void
build_conflicts (CwMergeReviewDialog *self,
                 const CwMergeResult *result,
                 GString             *report)
{
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *title = NULL;
      AdwPreferencesGroup *group;
      guint n = 0, n_codings = 0, shown = 0;

      for (guint i = 0; i < result->conflicts->len; i++)
        {
          const CwMergeConflict *conflict = g_ptr_array_index (result->conflicts, i);

          if (conflict->kind == kinds[k].kind)
            {
              n++;
              n_codings += conflict->n_codings;
            }
        }
      if (n == 0)
        continue;

      title = group_title (kinds[k].kind, n);
      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (group, title);
      g_string_append_printf (report, "\n%s\n", title);

      /* The count the researcher has to act on: codings to redo by hand. */
      if (kinds[k].kind == CW_MERGE_CONFLICT_DOCUMENT_TEXT)
        {
          g_autofree char *description =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u coding on these documents was not merged: its place in the other text may not fit this one.",
                                          "%u codings on these documents were not merged: their places in the other text may not fit this one.",
                                          n_codings),
                             n_codings);

          adw_preferences_group_set_description (group, description);
          g_string_append_printf (report, "%s\n", description);
        }

      for (guint i = 0; i < result->conflicts->len; i++)
        {
          const CwMergeConflict *conflict = g_ptr_array_index (result->conflicts, i);
          g_autofree char *text = NULL;

          if (conflict->kind != kinds[k].kind)
            continue;

          text = cw_merge_conflict_describe (conflict);
          g_string_append_printf (report, "- %s\n", text);
          if (shown >= MAX_ROWS_PER_GROUP)
            continue;
          add_row (group, text, NULL, kinds[k].icon, NULL);
          shown++;
        }
      if (shown < n)
        {
          g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "And %u more: copy the report to see it",
                                                                "And %u more: copy the report to see them",
                                                                n - shown),
                                                   n - shown);
          gtk_widget_add_css_class (add_row (group, more, NULL, NULL, NULL), "dim-label");
        }

      gtk_box_append (self->conflicts_box, GTK_WIDGET (group));
    }
}

static void
build_warnings (CwMergeReviewDialog *self,
                const CwMergeResult *result,
                GString             *report)
{
  guint n = result->warnings != NULL ? result->warnings->len : 0;

  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), n > 0);
  if (n == 0)
    return;

  g_string_append_printf (report, "\n%s\n", _("Warnings"));
  for (guint i = 0; i < n; i++)
    {
      const char *warning = g_ptr_array_index (result->warnings, i);

      g_string_append_printf (report, "- %s\n", warning);
      if (i < MAX_ROWS_PER_GROUP)
        add_row (self->warnings_group, warning, NULL, "dialog-warning-symbolic", NULL);
    }
  if (n > MAX_ROWS_PER_GROUP)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "And %u more: copy the report to see it",
                                                            "And %u more: copy the report to see them",
                                                            n - MAX_ROWS_PER_GROUP),
                                               n - MAX_ROWS_PER_GROUP);
      gtk_widget_add_css_class (add_row (self->warnings_group, more, NULL, NULL, NULL), "dim-label");
    }
}

static void
set_result (CwMergeReviewDialog *self,
            const CwMergeResult *result)
{
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *files = NULL;
  g_autofree char *heading = NULL;
  guint n_conflicts = result->conflicts->len;

  for (guint i = 0; result->files != NULL && result->files[i] != NULL; i++)
    g_ptr_array_add (names, g_path_get_basename (result->files[i]));
  g_ptr_array_add (names, NULL);
  files = g_strjoinv (_(", "), (char **) names->pdata);
  adw_window_title_set_subtitle (self->window_title, files);

  if (n_conflicts > 0)
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Conflict to Review",
                                            "%u Conflicts to Review", n_conflicts),
                               n_conflicts);
  else
    {
      heading = g_strdup (_("Merged with Warnings"));
      gtk_label_set_text (self->intro_label,
                          _("The copies did not conflict, but the REFI-QDA import repaired or left out some things. Undo Merge puts the project back as it was before the merge."));
    }
  gtk_label_set_text (self->heading_label, heading);

  /* Translators: the header of the copied report, then the files merged. */
  g_string_append_printf (report, _("Merge of %s"), files);
  g_string_append_printf (report, "\n%s\n\n", heading);
  build_summary (self, result, report);
  build_conflicts (self, result, report);
  build_warnings (self, result, report);

  g_free (self->report);
  self->report = g_string_free (g_steal_pointer (&report), FALSE);
}

/* Actions */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwMergeReviewDialog *self = CW_MERGE_REVIEW_DIALOG (widget);

  /* The handler may present other windows; we close after it either way. */
  g_object_ref (self);
  gtk_widget_action_set_enabled (widget, "merge-review.undo", FALSE);
  g_signal_emit (self, signals[UNDO_MERGE], 0);
  gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwMergeReviewDialog *self = CW_MERGE_REVIEW_DIALOG (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->report);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Report copied")));
}

/* GObject */

static void
cw_merge_review_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CW_TYPE_MERGE_REVIEW_DIALOG);

  G_OBJECT_CLASS (cw_merge_review_dialog_parent_class)->dispose (object);
}

static void
cw_merge_review_dialog_finalize (GObject *object)
{
  CwMergeReviewDialog *self = CW_MERGE_REVIEW_DIALOG (object);

  g_free (self->report);

  G_OBJECT_CLASS (cw_merge_review_dialog_parent_class)->finalize (object);
}

static void
cw_merge_review_dialog_class_init (CwMergeReviewDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_merge_review_dialog_dispose;
  object_class->finalize = cw_merge_review_dialog_finalize;

  /**
   * CwMergeReviewDialog::undo-merge:
   *
   * The user chose Undo Merge; the dialog closes after the handlers.
   */
  signals[UNDO_MERGE] =
    g_signal_new ("undo-merge", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-merge-review-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, undo_button);
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, keep_button);
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, status_icon);
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, summary_group);
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, CwMergeReviewDialog, warnings_group);

  gtk_widget_class_install_action (widget_class, "merge-review.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "merge-review.copy", NULL, copy_action);

  /* Escape keeps the merge, as closing the window does. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cw_merge_review_dialog_init (CwMergeReviewDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not Undo Merge, the first button, where focus would go by itself. */
  gtk_widget_grab_focus (GTK_WIDGET (self->keep_button));
}

CwMergeReviewDialog *
cw_merge_review_dialog_new (GtkWindow           *parent,
                            const CwMergeResult *result)
{
  CwMergeReviewDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (result != NULL && result->conflicts != NULL, NULL);

  self = g_object_new (CW_TYPE_MERGE_REVIEW_DIALOG, "transient-for", parent, NULL);
  set_result (self, result);
  return self;
}

const char *
cw_merge_review_dialog_get_report (CwMergeReviewDialog *self)
{
  g_return_val_if_fail (CW_IS_MERGE_REVIEW_DIALOG (self), NULL);

  return self->report;
}
