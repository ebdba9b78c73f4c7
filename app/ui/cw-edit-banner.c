/* cw-edit-banner.c: "Editing the text: codings follow your changes", the
 * document's spelling language, and Done.
 *
 * It only mirrors the transcript view's "editing" and "language"
 * properties, so that the window needs no code for it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cw-edit-banner.h"

struct _CwEditBanner
{
  GtkWidget         parent_instance;

  /* template */
  GtkRevealer      *revealer;
  GtkDropDown      *language_dropdown;

  /* borrowed */
  CwTranscriptView *view;

  gboolean          syncing;
};

enum {
  PROP_0,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The languages a document can have, in the dropdown's order. */
static const char *const languages[] = { "nl", "en" };

G_DEFINE_FINAL_TYPE (CwEditBanner, cw_edit_banner, GTK_TYPE_WIDGET)

static void
sync_editing (CwEditBanner *self)
{
  gtk_revealer_set_reveal_child (self->revealer,
                                 self->view != NULL && cw_transcript_view_get_editing (self->view));
}

static void
sync_language (CwEditBanner *self)
{
  const char *language = self->view != NULL ? cw_transcript_view_get_language (self->view) : NULL;
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; language != NULL && i < G_N_ELEMENTS (languages); i++)
    if (g_strcmp0 (language, languages[i]) == 0)
      selected = i;

  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->language_dropdown, selected);
  self->syncing = FALSE;
}

static void
language_selected_cb (CwEditBanner *self)
{
  guint selected = gtk_drop_down_get_selected (self->language_dropdown);

  if (self->syncing || self->view == NULL || selected >= G_N_ELEMENTS (languages))
    return;
  cw_transcript_view_set_language (self->view, languages[selected]);
}

static void
done_clicked_cb (CwEditBanner *self)
{
  if (self->view != NULL)
    cw_transcript_view_set_editing (self->view, FALSE);
}

void
cw_edit_banner_set_view (CwEditBanner     *self,
                         CwTranscriptView *view)
{
  g_return_if_fail (CW_IS_EDIT_BANNER (self));
  g_return_if_fail (view == NULL || CW_IS_TRANSCRIPT_VIEW (view));

  if (self->view == view)
    return;

  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->view, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
    }
  self->view = view;
  if (view != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
      g_signal_connect_swapped (view, "notify::editing", G_CALLBACK (sync_editing), self);
      g_signal_connect_swapped (view, "notify::language", G_CALLBACK (sync_language), self);
    }
  sync_editing (self);
  sync_language (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

CwTranscriptView *
cw_edit_banner_get_view (CwEditBanner *self)
{
  g_return_val_if_fail (CW_IS_EDIT_BANNER (self), NULL);

  return self->view;
}

GtkDropDown *
_cw_edit_banner_get_language_dropdown (CwEditBanner *self)
{
  return self->language_dropdown;
}

gboolean
_cw_edit_banner_get_revealed (CwEditBanner *self)
{
  return gtk_revealer_get_reveal_child (self->revealer);
}

static void
cw_edit_banner_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CwEditBanner *self = CW_EDIT_BANNER (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_object (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_edit_banner_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CwEditBanner *self = CW_EDIT_BANNER (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      cw_edit_banner_set_view (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_edit_banner_dispose (GObject *object)
{
  CwEditBanner *self = CW_EDIT_BANNER (object);

  cw_edit_banner_set_view (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_EDIT_BANNER);

  G_OBJECT_CLASS (cw_edit_banner_parent_class)->dispose (object);
}

static void
cw_edit_banner_class_init (CwEditBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_edit_banner_dispose;
  object_class->get_property = cw_edit_banner_get_property;
  object_class->set_property = cw_edit_banner_set_property;

  properties[PROP_VIEW] =
    g_param_spec_object ("view", NULL, NULL, CW_TYPE_TRANSCRIPT_VIEW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-edit-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, CwEditBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, CwEditBanner, language_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, language_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, done_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cw_edit_banner_init (CwEditBanner *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the order of languages[]. */
  gtk_string_list_append (names, _("Dutch"));
  gtk_string_list_append (names, _("English"));
  gtk_drop_down_set_model (self->language_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->language_dropdown, GTK_INVALID_LIST_POSITION);
}

GtkWidget *
cw_edit_banner_new (void)
{
  return g_object_new (CW_TYPE_EDIT_BANNER, NULL);
}
