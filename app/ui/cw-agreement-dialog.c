/* cw-agreement-dialog.c: inter-coder agreement in the window.
 *
 * The form reads the coders, the codebook and the documents once, when the
 * dialog opens. Every change of the form recomputes after a short pause,
 * in a worker with its own CwProject on the same file (cw_project_agreement
 * sorts and sweeps intervals: fast, but a project is not shared between
 * threads). The table keeps showing the last result until the new one is
 * there, so quick changes do not flicker.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cw-agreement-dialog-private.h"
#include "cw-code-item.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-consensus.h"

#define RECOMPUTE_DELAY_MS 150
/* A computation shorter than this does not show the spinner. */
#define SPINNER_DELAY_MS 300

/* Krippendorff (2004): rely on alpha >= .800, tentative from .667. */
#define GOOD_LEVEL 0.8
#define TENTATIVE_LEVEL 0.667

/* One row of a table: a code, the overall figures, or a pair of coders. */
#define CW_TYPE_AGREEMENT_ROW (cw_agreement_row_get_type ())
G_DECLARE_FINAL_TYPE (CwAgreementRow, cw_agreement_row, CW, AGREEMENT_ROW, GObject)

struct _CwAgreementRow
{
  GObject   parent_instance;

  char     *name;
  char     *color;    /* a code's, or NULL */
  gboolean  overall;
  gboolean  pair;
  CwAgreementUnit unit;
  gint64    units;
  double    percent;
  double    unanimous;
  double    kappa;
  double    alpha;
  double    u_alpha;
  gint64    matched;
  gint64    unmatched;
};

G_DEFINE_FINAL_TYPE (CwAgreementRow, cw_agreement_row, G_TYPE_OBJECT)

static void
cw_agreement_row_finalize (GObject *object)
{
  CwAgreementRow *self = CW_AGREEMENT_ROW (object);

  g_free (self->name);
  g_free (self->color);
  G_OBJECT_CLASS (cw_agreement_row_parent_class)->finalize (object);
}

static void
cw_agreement_row_class_init (CwAgreementRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cw_agreement_row_finalize;
}

static void
cw_agreement_row_init (CwAgreementRow *self)
{
  self->percent = self->unanimous = self->kappa = self->alpha = self->u_alpha = NAN;
}

struct _CwAgreementDialog
{
  AdwWindow            parent_instance;

  /* template */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkButton           *export_button;
  GtkButton           *review_button;
  AdwPreferencesGroup *coders_group;
  AdwComboRow         *unit_row;
  AdwActionRow        *overlap_row;
  GtkSpinButton       *overlap_spin;
  GtkLabel            *unit_hint;
  AdwExpanderRow      *codes_row;
  AdwExpanderRow      *documents_row;
  AdwEntryRow         *consensus_row;
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  GtkSpinner          *spinner;
  GtkLabel            *summary_title;
  GtkLabel            *summary_label;
  GtkBox              *tiles_box;
  GtkColumnView       *column_view;
  GtkBox              *pairs_box;
  GtkColumnView       *pairs_view;
  GtkLabel            *note_label;

  /* borrowed: the form's check buttons, owned by their rows */
  GPtrArray           *coder_checks;    /* GtkCheckButton, data "name" */
  GPtrArray           *code_checks;     /* GtkCheckButton, data "id" */
  GPtrArray           *document_checks; /* GtkCheckButton, data "id" */
  GtkColumnViewColumn *columns[CW_AGREEMENT_N_COLUMNS];

  /* owned */
  CwProject           *project;
  GHashTable          *colors;          /* code id (gint64 *) -> "#rrggbb" */
  GListStore          *rows;            /* CwAgreementRow */
  GListStore          *pair_rows;       /* CwAgreementRow */
  CwAgreement         *result;
  GCancellable        *cancellable;
  GCancellable        *export_cancellable;
  char                *last_toast;
  guint                recompute_id;
  guint                spinner_id;
};

enum
{
  REVIEW_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwAgreementDialog, cw_agreement_dialog, ADW_TYPE_WINDOW)

static void update_note (CwAgreementDialog *self,
                         CwAgreementUnit    unit);

void
cw_agreement_style_ensure (void)
{
  static GdkDisplay *loaded_for = NULL;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (display == NULL || display == loaded_for)
    return;
  loaded_for = display;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/agreement.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

CwAgreementOptions *
cw_agreement_options_copy (const CwAgreementOptions *options)
{
  CwAgreementOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = cw_agreement_options_new ();
  g_strfreev (copy->coders);
  copy->coders = g_strdupv (options->coders);
  copy->unit = options->unit;
  copy->overlap = options->overlap;
  g_clear_pointer (&copy->code_ids, g_array_unref);
  g_clear_pointer (&copy->document_ids, g_array_unref);
  if (options->code_ids != NULL)
    {
      copy->code_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), options->code_ids->len);
      g_array_append_vals (copy->code_ids, options->code_ids->data, options->code_ids->len);
    }
  if (options->document_ids != NULL)
    {
      copy->document_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), options->document_ids->len);
      g_array_append_vals (copy->document_ids, options->document_ids->data, options->document_ids->len);
    }
  return copy;
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

static void
show_toast (CwAgreementDialog *self,
            const char        *message,
            guint              timeout)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Reading the form */

static CwAgreementUnit
chosen_unit (CwAgreementDialog *self)
{
  switch (adw_combo_row_get_selected (self->unit_row))
    {
    case 1: return CW_AGREEMENT_UNIT_SEGMENT;
    case 2: return CW_AGREEMENT_UNIT_DOCUMENT;
    default: return CW_AGREEMENT_UNIT_CHARACTER;
    }
}

/* The ids of the checked buttons; NULL when all are (the core's "all"). */
static GArray *
checked_ids (GPtrArray *checks,
             guint     *n_checked)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (checks, i);

      if (gtk_check_button_get_active (check))
        {
          gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (check), "id");

          g_array_append_val (ids, id);
        }
    }
  *n_checked = ids->len;
  return ids->len == checks->len ? NULL : g_steal_pointer (&ids);
}

CwAgreementOptions *
cw_agreement_dialog_get_options (CwAgreementDialog *self)
{
  g_autoptr(CwAgreementOptions) options = NULL;
  g_autoptr(GStrvBuilder) coders = g_strv_builder_new ();
  guint n_coders = 0, n_codes = 0, n_documents = 0;

  g_return_val_if_fail (CW_IS_AGREEMENT_DIALOG (self), NULL);

  for (guint i = 0; i < self->coder_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->coder_checks, i);

      if (gtk_check_button_get_active (check))
        {
          g_strv_builder_add (coders, g_object_get_data (G_OBJECT (check), "name"));
          n_coders++;
        }
    }

  options = cw_agreement_options_new ();
  g_strfreev (options->coders);
  options->coders = g_strv_builder_end (coders);
  options->unit = chosen_unit (self);
  options->overlap = (guint) gtk_spin_button_get_value_as_int (self->overlap_spin);
  g_clear_pointer (&options->code_ids, g_array_unref);
  g_clear_pointer (&options->document_ids, g_array_unref);
  options->code_ids = checked_ids (self->code_checks, &n_codes);
  options->document_ids = checked_ids (self->document_checks, &n_documents);

  if (n_coders < 2 || n_codes == 0 || n_documents == 0)
    return NULL;
  return g_steal_pointer (&options);
}

char *
cw_agreement_dialog_get_consensus (CwAgreementDialog *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (CW_IS_AGREEMENT_DIALOG (self), NULL);

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->consensus_row))));
  if (name[0] == '\0')
    return g_strdup (_("Consensus"));
  return g_steal_pointer (&name);
}

/* Formatting */

static gboolean
is_defined (double value)
{
  return !isnan (value);
}

static const char *
level_class (double value)
{
  if (!is_defined (value))
    return "cw-undefined";
  if (value >= GOOD_LEVEL)
    return "cw-good";
  if (value >= TENTATIVE_LEVEL)
    return "cw-tentative";
  return "cw-poor";
}

static char *
format_count (gint64 value)
{
  /* Grouped the locale's way: 12.345 in Dutch. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, value);
}

static char *
format_percent (double value)
{
  if (!is_defined (value))
    return g_strdup ("—");
  /* Translators: a percentage; %.1f is the number. */
  return g_strdup_printf (_("%.1f %%"), value);
}

static char *
format_statistic (double value)
{
  if (!is_defined (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.3f", value);
}

static char *
join_names (const char * const *names)
{
  guint n = names != NULL ? g_strv_length ((char **) names) : 0;
  g_autofree char *head = NULL;

  if (n == 0)
    return g_strdup ("");
  if (n == 1)
    return g_strdup (names[0]);
  head = g_strjoinv (", ", (char **) (gpointer) names);
  /* Cut the last ", name" off the joined list and add it with "and". */
  head[strlen (head) - strlen (names[n - 1]) - 2] = '\0';
  /* Translators: the last of several names joined, "Lotte, Ruben and Mia". */
  return g_strdup_printf (_("%s and %s"), head, names[n - 1]);
}

/* The cell's text and tooltip; level (may be NULL) gets the CSS class. */
static char *
cell_text (CwAgreementRow     *row,
           CwAgreementColumn   column,
           char              **tooltip,
           const char        **level)
{
  const char *undefined = row->overall
    ? _("Undefined: no coder used any of the compared codes")
    : _("Undefined: nobody used this code");
  double value = NAN;
  gboolean statistic = FALSE;
  char *text = NULL;

  if (tooltip != NULL)
    *tooltip = NULL;
  if (level != NULL)
    *level = NULL;

  switch (column)
    {
    case CW_AGREEMENT_COLUMN_CODE:
      return g_strdup (row->name);
    case CW_AGREEMENT_COLUMN_UNITS:
      return format_count (row->units);
    case CW_AGREEMENT_COLUMN_MATCHED:
      return format_count (row->matched);
    case CW_AGREEMENT_COLUMN_UNMATCHED:
      return format_count (row->unmatched);
    case CW_AGREEMENT_COLUMN_PERCENT:
      value = row->percent;
      break;
    case CW_AGREEMENT_COLUMN_UNANIMOUS:
      value = row->unanimous;
      break;
    case CW_AGREEMENT_COLUMN_KAPPA:
      value = row->kappa;
      statistic = TRUE;
      break;
    case CW_AGREEMENT_COLUMN_ALPHA:
      value = row->alpha;
      statistic = TRUE;
      break;
    case CW_AGREEMENT_COLUMN_U_ALPHA:
      value = row->u_alpha;
      statistic = TRUE;
      break;
    case CW_AGREEMENT_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  text = statistic ? format_statistic (value) : format_percent (value);
  if (statistic && level != NULL)
    *level = level_class (value);
  if (!is_defined (value) && tooltip != NULL)
    {
      if (row->unit == CW_AGREEMENT_UNIT_SEGMENT && column == CW_AGREEMENT_COLUMN_KAPPA && !row->overall)
        *tooltip = g_strdup (_("Per code, the segment comparison gives percentages only; the overall row has Brennan and Prediger’s kappa"));
      else
        *tooltip = g_strdup (undefined);
    }
  return text;
}

/* The tables */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  CwAgreementColumn column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  if (column == CW_AGREEMENT_COLUMN_CODE)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *dot = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_width_chars (GTK_LABEL (label), 18);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), dot);
      gtk_box_append (GTK_BOX (box), label);
      g_object_set_data (G_OBJECT (box), "label", label);
      g_object_set_data (G_OBJECT (box), "dot", dot);
      gtk_list_item_set_child (item, box);
      return;
    }

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_halign (label, GTK_ALIGN_END);
  gtk_widget_add_css_class (label, "cw-number");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  static const char *const levels[] = { "cw-good", "cw-tentative", "cw-poor", "cw-undefined" };
  CwAgreementColumn column = GPOINTER_TO_UINT (user_data);
  CwAgreementRow *row = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkWidget *label = child;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  const char *level = NULL;

  if (column == CW_AGREEMENT_COLUMN_CODE)
    {
      GtkWidget *dot = g_object_get_data (G_OBJECT (child), "dot");
      g_autofree char *markup = NULL;

      label = g_object_get_data (G_OBJECT (child), "label");
      if (row->color != NULL)
        markup = g_markup_printf_escaped ("<span foreground=\"%s\">●</span>", row->color);
      gtk_label_set_markup (GTK_LABEL (dot), markup != NULL ? markup : "");
      gtk_widget_set_visible (dot, row->color != NULL);
      gtk_widget_set_tooltip_text (label, row->name);
    }

  text = cell_text (row, column, &tooltip, &level);
  gtk_label_set_text (GTK_LABEL (label), text);
  if (column != CW_AGREEMENT_COLUMN_CODE)
    gtk_widget_set_tooltip_text (label, tooltip);

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    gtk_widget_remove_css_class (label, levels[i]);
  gtk_widget_remove_css_class (label, "cw-stat");
  if (level != NULL)
    {
      gtk_widget_add_css_class (label, "cw-stat");
      gtk_widget_add_css_class (label, level);
    }
  if (row->overall)
    gtk_widget_add_css_class (label, "cw-overall");
  else
    gtk_widget_remove_css_class (label, "cw-overall");
}

static GtkColumnViewColumn *
add_column (GtkColumnView     *view,
            CwAgreementColumn  column,
            const char        *title,
            gboolean           expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *result;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (column));
  result = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (result, expand);
  gtk_column_view_column_set_resizable (result, column == CW_AGREEMENT_COLUMN_CODE);
  gtk_column_view_append_column (view, result);
  g_object_unref (result); /* the view holds it */
  return result;
}

static void
build_columns (CwAgreementDialog *self)
{
  self->columns[CW_AGREEMENT_COLUMN_CODE] = add_column (self->column_view, CW_AGREEMENT_COLUMN_CODE, _("Code"), TRUE);
  self->columns[CW_AGREEMENT_COLUMN_UNITS] = add_column (self->column_view, CW_AGREEMENT_COLUMN_UNITS, _("Characters"), FALSE);
  self->columns[CW_AGREEMENT_COLUMN_MATCHED] = add_column (self->column_view, CW_AGREEMENT_COLUMN_MATCHED, _("Matched"), FALSE);
  self->columns[CW_AGREEMENT_COLUMN_UNMATCHED] = add_column (self->column_view, CW_AGREEMENT_COLUMN_UNMATCHED, _("Unmatched"), FALSE);
  self->columns[CW_AGREEMENT_COLUMN_PERCENT] = add_column (self->column_view, CW_AGREEMENT_COLUMN_PERCENT, _("Agreement"), FALSE);
  self->columns[CW_AGREEMENT_COLUMN_UNANIMOUS] = add_column (self->column_view, CW_AGREEMENT_COLUMN_UNANIMOUS, _("Unanimous"), FALSE);
  /* Translators: Cohen's or Fleiss' kappa, as a column heading. */
  self->columns[CW_AGREEMENT_COLUMN_KAPPA] = add_column (self->column_view, CW_AGREEMENT_COLUMN_KAPPA, _("Kappa κ"), FALSE);
  /* Translators: Krippendorff's alpha, as a column heading. */
  self->columns[CW_AGREEMENT_COLUMN_ALPHA] = add_column (self->column_view, CW_AGREEMENT_COLUMN_ALPHA, _("Alpha α"), FALSE);
  /* Translators: Krippendorff's unitizing alpha, as a column heading. */
  self->columns[CW_AGREEMENT_COLUMN_U_ALPHA] = add_column (self->column_view, CW_AGREEMENT_COLUMN_U_ALPHA, _("Unitizing uα"), FALSE);

  gtk_column_view_column_set_fixed_width (self->columns[CW_AGREEMENT_COLUMN_CODE], 260);

  add_column (self->pairs_view, CW_AGREEMENT_COLUMN_CODE, _("Coders"), TRUE);
  add_column (self->pairs_view, CW_AGREEMENT_COLUMN_UNITS, _("Units"), FALSE);
  add_column (self->pairs_view, CW_AGREEMENT_COLUMN_PERCENT, _("Agreement"), FALSE);
  add_column (self->pairs_view, CW_AGREEMENT_COLUMN_KAPPA, _("Kappa κ"), FALSE);
}

/* Which columns a unit has. */
static void
update_columns (CwAgreementDialog *self,
                CwAgreementUnit    unit,
                guint              n_coders)
{
  const char *units = unit == CW_AGREEMENT_UNIT_SEGMENT ? _("Segments")
                    : unit == CW_AGREEMENT_UNIT_DOCUMENT ? _("Documents")
                    : _("Characters");
  gboolean segment = unit == CW_AGREEMENT_UNIT_SEGMENT;

  gtk_column_view_column_set_title (self->columns[CW_AGREEMENT_COLUMN_UNITS], units);
  gtk_column_view_column_set_visible (self->columns[CW_AGREEMENT_COLUMN_MATCHED], segment);
  gtk_column_view_column_set_visible (self->columns[CW_AGREEMENT_COLUMN_UNMATCHED], segment);
  gtk_column_view_column_set_visible (self->columns[CW_AGREEMENT_COLUMN_UNANIMOUS], n_coders > 2);
  /* Per code, the segment comparison has percentages only (MAXQDA's
   * kappa is an overall figure, in its tile). */
  gtk_column_view_column_set_visible (self->columns[CW_AGREEMENT_COLUMN_KAPPA], !segment);
  gtk_column_view_column_set_visible (self->columns[CW_AGREEMENT_COLUMN_ALPHA], !segment);
  gtk_column_view_column_set_visible (self->columns[CW_AGREEMENT_COLUMN_U_ALPHA], unit == CW_AGREEMENT_UNIT_CHARACTER);
}

static CwAgreementRow *
row_new (const char      *name,
         const char      *color,
         CwAgreementUnit  unit)
{
  CwAgreementRow *row = g_object_new (CW_TYPE_AGREEMENT_ROW, NULL);

  row->name = g_strdup (name);
  row->color = g_strdup (color);
  row->unit = unit;
  return row;
}

static GtkWidget *
tile_new (const char *value,
          const char *caption,
          const char *level,
          const char *tooltip)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *number = gtk_label_new (value);
  GtkWidget *label = gtk_label_new (caption);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "cw-stat-tile");
  if (level != NULL)
    gtk_widget_add_css_class (box, level);
  gtk_widget_add_css_class (number, "cw-stat-value");
  gtk_label_set_xalign (GTK_LABEL (number), 0);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_tooltip_text (box, tooltip);
  return box;
}

static void
fill_tiles (CwAgreementDialog *self,
            const CwAgreement *result)
{
  GtkWidget *child;
  g_autofree char *percent = format_percent (result->percent);
  g_autofree char *kappa = format_statistic (result->kappa);
  g_autofree char *alpha = format_statistic (result->alpha);
  const char *kappa_name;
  const char *kappa_tip;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tiles_box))) != NULL)
    gtk_box_remove (self->tiles_box, child);

  gtk_box_append (self->tiles_box,
                  tile_new (percent,
                            result->n_coders > 2 ? _("Mean Pairwise Agreement") : _("Percent Agreement"),
                            NULL,
                            _("Units on which the coders agree, including those nobody coded")));
  if (result->unit == CW_AGREEMENT_UNIT_SEGMENT)
    {
      kappa_name = _("Kappa (Brennan & Prediger)");
      kappa_tip = _("Chance agreement taken as 1 / the number of compared codes, as MAXQDA reports it");
    }
  else if (result->n_coders > 2)
    {
      kappa_name = _("Fleiss’ Kappa");
      kappa_tip = _("Agreement corrected for chance, over all coders");
    }
  else
    {
      kappa_name = _("Cohen’s Kappa");
      kappa_tip = _("Agreement corrected for chance");
    }
  gtk_box_append (self->tiles_box, tile_new (kappa, kappa_name, level_class (result->kappa), kappa_tip));
  if (result->unit != CW_AGREEMENT_UNIT_SEGMENT)
    gtk_box_append (self->tiles_box,
                    tile_new (alpha, _("Krippendorff’s Alpha"), level_class (result->alpha),
                              _("Agreement corrected for chance; reliable from 0.800, tentative from 0.667")));
  if (result->unit == CW_AGREEMENT_UNIT_CHARACTER)
    {
      g_autofree char *cu = format_statistic (result->cu_alpha);

      gtk_box_append (self->tiles_box,
                      tile_new (cu, _("Unitizing cuα"), level_class (result->cu_alpha),
                                result->cu_alpha_reason != NULL ? result->cu_alpha_reason
                                : _("Whether the coders cut the text into the same stretches and gave them the same codes")));
    }
  else if (result->unit == CW_AGREEMENT_UNIT_SEGMENT)
    {
      g_autofree char *matched = format_count (result->matched);
      g_autofree char *unmatched = format_count (result->unmatched);
      /* Translators: segments matched and not matched, "120 / 34". */
      g_autofree char *both = g_strdup_printf (_("%s / %s"), matched, unmatched);

      gtk_box_append (self->tiles_box,
                      tile_new (both, _("Matched / Unmatched Segments"), NULL,
                                _("A segment matches when another coder has the same code over enough of it")));
    }
}

static void
show_result (CwAgreementDialog *self,
             CwAgreement       *result)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autofree char *names = join_names ((const char * const *) result->coders);
  g_autoptr(CwAgreementRow) overall = NULL;
  const char *unit_name;

  g_clear_pointer (&self->result, cw_agreement_free);
  self->result = result;

  g_list_store_remove_all (self->rows);
  for (guint i = 0; i < result->codes->len; i++)
    {
      const CwAgreementCode *code = &g_array_index (result->codes, CwAgreementCode, i);
      g_autoptr(CwAgreementRow) row = row_new (code->path, g_hash_table_lookup (self->colors, &code->code_id),
                                               result->unit);

      row->units = code->units;
      row->percent = code->percent;
      row->unanimous = code->percent_unanimous;
      row->kappa = code->kappa;
      row->alpha = code->alpha;
      row->u_alpha = code->u_alpha;
      row->matched = code->matched;
      row->unmatched = code->unmatched;
      g_list_store_append (self->rows, row);
    }
  overall = row_new (_("Overall"), NULL, result->unit);
  overall->overall = TRUE;
  overall->units = result->units;
  overall->percent = result->percent;
  overall->unanimous = result->percent_unanimous;
  overall->kappa = result->kappa;
  overall->alpha = result->alpha;
  overall->u_alpha = result->cu_alpha;
  overall->matched = result->matched;
  overall->unmatched = result->unmatched;
  g_list_store_append (self->rows, overall);

  g_list_store_remove_all (self->pair_rows);
  for (guint i = 0; result->pairs != NULL && i < result->pairs->len; i++)
    {
      const CwAgreementPair *pair = &g_array_index (result->pairs, CwAgreementPair, i);
      /* Translators: two coders compared, "Lotte – Ruben". */
      g_autofree char *name = g_strdup_printf (_("%s – %s"), result->coders[pair->coder_a], result->coders[pair->coder_b]);
      g_autoptr(CwAgreementRow) row = row_new (name, NULL, result->unit);

      row->pair = TRUE;
      row->units = pair->units;
      row->percent = pair->percent;
      row->kappa = pair->kappa;
      g_list_store_append (self->pair_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->pairs_box), result->n_coders > 2);
  update_columns (self, result->unit, result->n_coders);
  update_note (self, result->unit);

  gtk_label_set_text (self->summary_title, names);
  unit_name = result->unit == CW_AGREEMENT_UNIT_SEGMENT ? _("By segment")
            : result->unit == CW_AGREEMENT_UNIT_DOCUMENT ? _("By document")
            : _("By character");
  g_string_append (summary, unit_name);
  if (result->unit == CW_AGREEMENT_UNIT_SEGMENT)
    /* Translators: the minimum overlap of two segments, in percent. */
    g_string_append_printf (summary, _(" (overlap at least %u %%)"), result->overlap);
  g_string_append (summary, " · ");
  g_string_append_printf (summary, g_dngettext (GETTEXT_PACKAGE, "%u document", "%u documents", result->n_documents),
                          result->n_documents);
  {
    g_autofree char *characters = format_count (result->characters);

    g_string_append (summary, " · ");
    /* Translators: a number of characters, already formatted. */
    g_string_append_printf (summary, _("%s characters"), characters);
  }
  for (guint i = 0; i < result->n_coders; i++)
    {
      g_string_append (summary, i == 0 ? " · " : ", ");
      /* Translators: a coder and how many codings they made. */
      g_string_append_printf (summary, g_dngettext (GETTEXT_PACKAGE, "%s: %u coding", "%s: %u codings",
                                                    (gulong) result->codings[i]),
                              result->coders[i], (guint) MIN (result->codings[i], G_MAXUINT));
    }
  gtk_label_set_text (self->summary_label, summary->str);
  fill_tiles (self, result);
  gtk_stack_set_visible_child_name (self->stack, "table");
}

/* Computing */

typedef struct
{
  char               *path;
  CwAgreementOptions *options;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  cw_agreement_options_free (job->options);
  g_free (job);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CwProject) project = NULL;
  CwAgreement *result;
  GError *error = NULL;

  project = cw_project_open (job->path, &error);
  if (project == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  result = cw_project_agreement (project, job->options, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) cw_agreement_free);
}

static void
update_actions (CwAgreementDialog *self)
{
  gboolean has_table = self->result != NULL &&
                       g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "table") == 0;
  g_autoptr(CwAgreementOptions) options = cw_agreement_dialog_get_options (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "agreement.export",
                                 has_table && self->export_cancellable == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "agreement.review", options != NULL);
}

static void
compute_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  CwAgreementDialog *self = CW_AGREEMENT_DIALOG (source);
  GTask *task = G_TASK (res);
  g_autoptr(GError) error = NULL;
  CwAgreement *result;

  if (g_task_get_cancellable (task) != self->cancellable)
    return; /* a newer request took over, or the dialog closed */
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  gtk_spinner_stop (self->spinner);

  result = g_task_propagate_pointer (task, &error);
  if (result == NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->empty_page, _("Could Not Compare"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    show_result (self, result);
  update_actions (self);
}

static gboolean
show_spinner_cb (gpointer data)
{
  CwAgreementDialog *self = data;

  self->spinner_id = 0;
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "running");
  return G_SOURCE_REMOVE;
}

static void
show_empty (CwAgreementDialog *self,
            const char        *title,
            const char        *description)
{
  adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
compute (CwAgreementDialog *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(CwAgreementOptions) options = cw_agreement_dialog_get_options (self);
  guint n_coders = 0, n_codes = 0, n_documents = 0;
  Job *job;

  cancel_and_clear (&self->cancellable);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  gtk_spinner_stop (self->spinner);

  if (options == NULL)
    {
      for (guint i = 0; i < self->coder_checks->len; i++)
        n_coders += gtk_check_button_get_active (g_ptr_array_index (self->coder_checks, i));
      g_clear_pointer (&options, cw_agreement_options_free);
      for (guint i = 0; i < self->code_checks->len; i++)
        n_codes += gtk_check_button_get_active (g_ptr_array_index (self->code_checks, i));
      for (guint i = 0; i < self->document_checks->len; i++)
        n_documents += gtk_check_button_get_active (g_ptr_array_index (self->document_checks, i));

      if (self->coder_checks->len < 2)
        show_empty (self, _("Two Coders Needed"),
                    _("Agreement compares the codings of several coders. Merge the copies in which colleagues coded the same documents, or set a coder name before coding."));
      else if (n_coders < 2)
        show_empty (self, _("Choose Two Coders"), _("Tick at least two coders to compare."));
      else if (n_codes == 0)
        show_empty (self, _("Choose a Code"), _("Tick at least one code to compare."));
      else
        show_empty (self, _("Choose a Document"), _("Tick at least one document to compare."));
      update_actions (self);
      return;
    }

  job = g_new0 (Job, 1);
  job->path = g_strdup (cw_project_get_path (self->project));
  job->options = g_steal_pointer (&options);

  self->cancellable = g_cancellable_new ();
  self->spinner_id = g_timeout_add (self->result != NULL ? SPINNER_DELAY_MS : 0, show_spinner_cb, self);
  task = g_task_new (self, self->cancellable, compute_cb, NULL);
  g_task_set_source_tag (task, compute);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, compute_thread);
  update_actions (self);
}

static gboolean
recompute_cb (gpointer data)
{
  CwAgreementDialog *self = data;

  self->recompute_id = 0;
  compute (self);
  return G_SOURCE_REMOVE;
}

static void
update_form (CwAgreementDialog *self)
{
  CwAgreementUnit unit = chosen_unit (self);
  guint n_codes = 0, n_documents = 0;
  g_autofree char *codes = NULL;
  g_autofree char *documents = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->overlap_row), unit == CW_AGREEMENT_UNIT_SEGMENT);
  switch (unit)
    {
    case CW_AGREEMENT_UNIT_SEGMENT:
      gtk_label_set_text (self->unit_hint,
                          _("As MAXQDA: a coding agrees when another coder gave the same code to a segment that overlaps it enough."));
      break;
    case CW_AGREEMENT_UNIT_DOCUMENT:
      gtk_label_set_text (self->unit_hint,
                          _("Whether each coder used the code anywhere in a document."));
      break;
    case CW_AGREEMENT_UNIT_CHARACTER:
    default:
      gtk_label_set_text (self->unit_hint,
                          _("As NVivo: every character of the documents is a unit, coded with the code or not."));
      break;
    }

  for (guint i = 0; i < self->code_checks->len; i++)
    n_codes += gtk_check_button_get_active (g_ptr_array_index (self->code_checks, i));
  for (guint i = 0; i < self->document_checks->len; i++)
    n_documents += gtk_check_button_get_active (g_ptr_array_index (self->document_checks, i));
  if (n_codes == self->code_checks->len)
    codes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "All %u code", "All %u codes", n_codes), n_codes);
  else
    /* Translators: codes chosen of all codes. */
    codes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u code", "%u of %u codes", self->code_checks->len),
                             n_codes, self->code_checks->len);
  if (n_documents == self->document_checks->len)
    documents = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "All %u document", "All %u documents", n_documents),
                                 n_documents);
  else
    /* Translators: documents chosen of all documents. */
    documents = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u document", "%u of %u documents",
                                              self->document_checks->len),
                                 n_documents, self->document_checks->len);
  adw_expander_row_set_subtitle (self->codes_row, codes);
  adw_expander_row_set_subtitle (self->documents_row, documents);
}

static void
form_changed_cb (CwAgreementDialog *self)
{
  update_form (self);
  g_clear_handle_id (&self->recompute_id, g_source_remove);
  self->recompute_id = g_timeout_add (RECOMPUTE_DELAY_MS, recompute_cb, self);
  update_actions (self);
}

/* Loading the form */

static GtkCheckButton *
add_check_row (CwAgreementDialog *self,
               GtkWidget         *parent,
               const char        *title,
               const char        *subtitle,
               gboolean           active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (form_changed_cb), self, G_CONNECT_SWAPPED);

  if (ADW_IS_EXPANDER_ROW (parent))
    adw_expander_row_add_row (ADW_EXPANDER_ROW (parent), row);
  else
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (parent), row);
  return GTK_CHECK_BUTTON (check);
}

static void
set_id (GtkCheckButton *check,
        gint64          id)
{
  g_object_set_data_full (G_OBJECT (check), "id", g_memdup2 (&id, sizeof id), g_free);
}

static void
load_form (CwAgreementDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) coders = cw_project_list_coders (self->project, &error);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autofree char *consensus = cw_agreement_dialog_get_consensus (self);
  guint checked = 0;

  for (guint i = 0; coders != NULL && coders[i] != NULL; i++)
    {
      /* Accepted versions are no one's coding: not compared unless asked. */
      gboolean active = checked < 2 && g_strcmp0 (coders[i], consensus) != 0 &&
                        g_strcmp0 (coders[i], CW_CONSENSUS_DEFAULT_CODER) != 0;
      GtkCheckButton *check = add_check_row (self, GTK_WIDGET (self->coders_group), coders[i], NULL, active);

      g_object_set_data_full (G_OBJECT (check), "name", g_strdup (coders[i]), g_free);
      g_ptr_array_add (self->coder_checks, check);
      checked += active;
    }

  codes = cw_project_list_codes (self->project, error == NULL ? &error : NULL);
  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);
      GtkCheckButton *check;
      gint64 *key;

      if (!code->codable)
        continue;
      check = add_check_row (self, GTK_WIDGET (self->codes_row), code->path, NULL, TRUE);
      set_id (check, code->id);
      g_ptr_array_add (self->code_checks, check);
      key = g_memdup2 (&code->id, sizeof code->id);
      g_hash_table_insert (self->colors, key, g_strdup (code->color));
    }

  documents = cw_project_list_documents (self->project, error == NULL ? &error : NULL);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, i);
      GtkCheckButton *check = add_check_row (self, GTK_WIDGET (self->documents_row), info->name, NULL, TRUE);

      set_id (check, info->id);
      g_ptr_array_add (self->document_checks, check);
    }

  if (error != NULL)
    show_toast (self, error->message, 12);
  adw_window_title_set_subtitle (self->window_title, cw_project_get_title (self->project));
  update_form (self);
}

/* Export */

static void
append_field (GString    *csv,
              const char *text)
{
  gsize length = strlen (text);

  if (strpbrk (text, ";\"\r\n") == NULL &&
      (length == 0 || (!g_ascii_isspace (text[0]) && !g_ascii_isspace (text[length - 1]))))
    {
      g_string_append_len (csv, text, length);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

/* As the case x code matrix: decimal comma, undefined left empty. */
static void
append_number (GString *csv,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (csv, ';');
  if (isnan (value))
    return;
  g_ascii_formatd (buffer, sizeof buffer, "%.6g", value);
  g_strdelimit (buffer, ".", ',');
  g_string_append (csv, buffer);
}

static void
append_row (GString          *csv,
            const char       *name,
            gint64            units,
            double            percent,
            double            unanimous,
            double            kappa,
            double            alpha,
            double            u_alpha,
            gint64            matched,
            gint64            unmatched,
            CwAgreementUnit   unit)
{
  append_field (csv, name);
  g_string_append_printf (csv, ";%" G_GINT64_FORMAT, units);
  append_number (csv, percent);
  append_number (csv, unanimous);
  append_number (csv, kappa);
  append_number (csv, alpha);
  append_number (csv, u_alpha);
  if (unit == CW_AGREEMENT_UNIT_SEGMENT)
    g_string_append_printf (csv, ";%" G_GINT64_FORMAT ";%" G_GINT64_FORMAT, matched, unmatched);
  else
    g_string_append (csv, ";;");
  g_string_append (csv, "\r\n");
}

/* The table as CSV for read.csv2 and Excel: UTF-8 with a byte order mark,
 * ';', decimal comma, CRLF, as the case x code matrix. The heading names
 * the CLI's JSON keys; the overall row is "(overall)", u_alpha there the
 * overall cu_alpha. */
static char *
table_csv (const CwAgreement *result)
{
  GString *csv = g_string_new ("\xEF\xBB\xBF");

  g_string_append (csv, "code;units;percent;percent_unanimous;kappa;alpha;u_alpha;matched;unmatched\r\n");
  for (guint i = 0; i < result->codes->len; i++)
    {
      const CwAgreementCode *code = &g_array_index (result->codes, CwAgreementCode, i);

      append_row (csv, code->path, code->units, code->percent, code->percent_unanimous, code->kappa,
                  code->alpha, code->u_alpha, code->matched, code->unmatched, result->unit);
    }
  append_row (csv, "(overall)", result->units, result->percent, result->percent_unanimous, result->kappa,
              result->alpha, result->cu_alpha, result->matched, result->unmatched, result->unit);
  return g_string_free (csv, FALSE);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  const char *csv = task_data;
  GError *error = NULL;

  if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  CwAgreementDialog *self = CW_AGREEMENT_DIALOG (source);
  GTask *task = G_TASK (res);
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_get_cancellable (task) != self->export_cancellable)
    return;
  g_clear_object (&self->export_cancellable);
  update_actions (self);

  if (g_task_propagate_boolean (task, &error))
    {
      /* Translators: the name of the file written. */
      message = g_strdup_printf (_("Exported to “%s”"), name);
      show_toast (self, message, 5);
    }
  else
    {
      /* Translators: the file, then the reason. */
      message = g_strdup_printf (_("Could not export the table to “%s”: %s"), name, error->message);
      show_toast (self, message, 12);
    }
}

void
_cw_agreement_dialog_export_to (CwAgreementDialog *self,
                                GFile             *file)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CW_IS_AGREEMENT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->result == NULL || self->export_cancellable != NULL)
    return;

  self->export_cancellable = g_cancellable_new ();
  update_actions (self);
  task = g_task_new (self, self->export_cancellable, export_cb, NULL);
  g_task_set_source_tag (task, _cw_agreement_dialog_export_to);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);
  g_task_set_task_data (task, table_csv (self->result), g_free);
  g_task_run_in_thread (task, export_thread);
}

static void
export_response_cb (GtkNativeDialog   *chooser,
                    int                response,
                    CwAgreementDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = chosen != NULL ? g_file_get_path (chosen) : NULL;

      if (path != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (path, -1);
          g_autofree char *named = g_str_has_suffix (lower, ".csv") ? g_strdup (path) : g_strconcat (path, ".csv", NULL);
          g_autoptr(GFile) file = g_file_new_for_path (named);

          _cw_agreement_dialog_export_to (self, file);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwAgreementDialog *self = CW_AGREEMENT_DIALOG (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->result == NULL || self->export_cancellable != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Agreement Table"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV for R or Excel (;)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: the default file name of an exported agreement table;
   * %s is the project's title. */
  name = g_strdup_printf (_("%s-agreement.csv"), cw_project_get_title (self->project));
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[REVIEW_REQUESTED], 0);
}

/* The object */

static void
cw_agreement_dialog_dispose (GObject *object)
{
  CwAgreementDialog *self = CW_AGREEMENT_DIALOG (object);

  cancel_and_clear (&self->cancellable);
  cancel_and_clear (&self->export_cancellable);
  g_clear_handle_id (&self->recompute_id, g_source_remove);
  g_clear_handle_id (&self->spinner_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_AGREEMENT_DIALOG);

  g_clear_object (&self->project);
  g_clear_object (&self->rows);
  g_clear_object (&self->pair_rows);

  G_OBJECT_CLASS (cw_agreement_dialog_parent_class)->dispose (object);
}

static void
cw_agreement_dialog_finalize (GObject *object)
{
  CwAgreementDialog *self = CW_AGREEMENT_DIALOG (object);

  g_ptr_array_unref (self->coder_checks);
  g_ptr_array_unref (self->code_checks);
  g_ptr_array_unref (self->document_checks);
  g_hash_table_unref (self->colors);
  g_clear_pointer (&self->result, cw_agreement_free);
  g_free (self->last_toast);

  G_OBJECT_CLASS (cw_agreement_dialog_parent_class)->finalize (object);
}

static void
cw_agreement_dialog_class_init (CwAgreementDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_agreement_dialog_dispose;
  object_class->finalize = cw_agreement_dialog_finalize;

  /**
   * CwAgreementDialog::review-requested:
   *
   * The user asked to review the disagreements of the comparison chosen.
   */
  signals[REVIEW_REQUESTED] =
    g_signal_new ("review-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-agreement-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, review_button);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, coders_group);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, unit_row);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, overlap_row);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, overlap_spin);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, unit_hint);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, codes_row);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, documents_row);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, consensus_row);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, summary_title);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, tiles_box);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, column_view);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, pairs_box);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, pairs_view);
  gtk_widget_class_bind_template_child (widget_class, CwAgreementDialog, note_label);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);

  gtk_widget_class_install_action (widget_class, "agreement.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "agreement.review", NULL, review_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cw_agreement_dialog_init (CwAgreementDialog *self)
{
  g_autoptr(GtkNoSelection) rows = NULL;
  g_autoptr(GtkNoSelection) pairs = NULL;

  cw_agreement_style_ensure ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->coder_checks = g_ptr_array_new ();
  self->code_checks = g_ptr_array_new ();
  self->document_checks = g_ptr_array_new ();
  self->colors = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->rows = g_list_store_new (CW_TYPE_AGREEMENT_ROW);
  self->pair_rows = g_list_store_new (CW_TYPE_AGREEMENT_ROW);

  rows = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (rows));
  pairs = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->pair_rows)));
  gtk_column_view_set_model (self->pairs_view, GTK_SELECTION_MODEL (pairs));
  build_columns (self);

  gtk_editable_set_text (GTK_EDITABLE (self->consensus_row), _("Consensus"));
  update_note (self, CW_AGREEMENT_UNIT_CHARACTER);
}

static void
update_note (CwAgreementDialog *self,
             CwAgreementUnit    unit)
{
  if (unit == CW_AGREEMENT_UNIT_SEGMENT)
    {
      gtk_label_set_markup (self->note_label,
                            _("<b>How to read this.</b> A segment agrees when another coder gave the same code to a "
                              "segment that overlaps it by at least the minimum share of their union, as in MAXQDA. "
                              "The percentage is the share of segments that agree. MAXQDA’s kappa (Brennan and "
                              "Prediger 1981) takes chance agreement as 1 / the number of compared codes; like "
                              "Krippendorff’s α, read it as reliable from 0.800 and tentative from 0.667 (green and "
                              "orange; red below). “—” is undefined, for instance when nobody used the code."));
      return;
    }
  gtk_label_set_markup (self->note_label,
                        _("<b>How to read this.</b> Percent agreement counts every unit on which the coders agree, "
                          "also the many that nobody coded, so it is high even by chance. Kappa and alpha correct for "
                          "chance: 1 is perfect agreement, 0 what chance alone would give. Krippendorff (2004) relies on "
                          "α ≥ 0.800 and allows tentative conclusions from 0.667 (green and orange; red below). For κ, "
                          "Landis and Koch (1977) call 0.61–0.80 substantial and above 0.80 almost perfect. Unitizing "
                          "uα also asks whether the coders marked the same stretches of text. “—” is undefined, for "
                          "instance when nobody used the code."));
}

CwAgreementDialog *
cw_agreement_dialog_new (GtkWindow *parent,
                         CwProject *project)
{
  CwAgreementDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CW_IS_PROJECT (project), NULL);

  self = g_object_new (CW_TYPE_AGREEMENT_DIALOG, "transient-for", parent, NULL);
  self->project = g_object_ref (project);
  load_form (self);
  compute (self);
  return self;
}

/* For the tests */

gboolean
_cw_agreement_dialog_is_busy (CwAgreementDialog *self)
{
  return self->recompute_id != 0 || self->cancellable != NULL || self->export_cancellable != NULL;
}

const CwAgreement *
_cw_agreement_dialog_get_result (CwAgreementDialog *self)
{
  return self->result;
}

const char *
_cw_agreement_dialog_get_page (CwAgreementDialog *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

AdwComboRow *
_cw_agreement_dialog_get_unit_row (CwAgreementDialog *self)
{
  return self->unit_row;
}

GtkColumnView *
_cw_agreement_dialog_get_column_view (CwAgreementDialog *self)
{
  return self->column_view;
}

GtkColumnViewColumn *
_cw_agreement_dialog_get_column (CwAgreementDialog *self,
                                 CwAgreementColumn  column)
{
  g_return_val_if_fail (column < CW_AGREEMENT_N_COLUMNS, NULL);

  return self->columns[column];
}

GtkWidget *
_cw_agreement_dialog_get_pairs_box (CwAgreementDialog *self)
{
  return GTK_WIDGET (self->pairs_box);
}

gboolean
_cw_agreement_dialog_set_coder (CwAgreementDialog *self,
                                const char        *name,
                                gboolean           chosen)
{
  for (guint i = 0; i < self->coder_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->coder_checks, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "name"), name) == 0)
        {
          gtk_check_button_set_active (check, chosen);
          return TRUE;
        }
    }
  return FALSE;
}

char *
_cw_agreement_dialog_get_cell_text (CwAgreementDialog  *self,
                                    guint               row,
                                    CwAgreementColumn   column,
                                    char              **tooltip)
{
  g_autoptr(CwAgreementRow) item = g_list_model_get_item (G_LIST_MODEL (self->rows), row);

  if (item == NULL)
    return NULL;
  return cell_text (item, column, tooltip, NULL);
}

const char *
_cw_agreement_dialog_get_cell_level (CwAgreementDialog *self,
                                     guint              row,
                                     CwAgreementColumn  column)
{
  g_autoptr(CwAgreementRow) item = g_list_model_get_item (G_LIST_MODEL (self->rows), row);
  g_autofree char *text = NULL;
  const char *level = NULL;

  if (item == NULL)
    return NULL;
  text = cell_text (item, column, NULL, &level);
  return level;
}

const char *
_cw_agreement_dialog_get_last_toast (CwAgreementDialog *self)
{
  return self->last_toast;
}
