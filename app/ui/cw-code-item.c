/* cw-code-item.c: a row of the codebook: one code and its children. */
#include "config.h"

#include <string.h>
#include <gtk/gtk.h>

#include "cw-code-item.h"

struct _CwCodeItem
{
  GObject     parent_instance;

  CwCode     *code;
  GListStore *children;
  guint       quick_key;
};

enum {
  PROP_0,
  PROP_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CwCodeItem, cw_code_item, G_TYPE_OBJECT)

static void
cw_code_item_finalize (GObject *object)
{
  CwCodeItem *self = CW_CODE_ITEM (object);

  g_clear_pointer (&self->code, cw_code_free);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (cw_code_item_parent_class)->finalize (object);
}

static void
cw_code_item_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CwCodeItem *self = CW_CODE_ITEM (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_pointer (value, self->code);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_code_item_class_init (CwCodeItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_code_item_finalize;
  object_class->get_property = cw_code_item_get_property;

  /* A pointer property only for its notification: rows rebind on it. */
  properties[PROP_CODE] =
    g_param_spec_pointer ("code", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_code_item_init (CwCodeItem *self)
{
  self->children = g_list_store_new (CW_TYPE_CODE_ITEM);
}

CwCodeItem *
cw_code_item_new (const CwCode *code)
{
  CwCodeItem *self;

  g_return_val_if_fail (code != NULL, NULL);

  self = g_object_new (CW_TYPE_CODE_ITEM, NULL);
  self->code = cw_code_copy (code);
  return self;
}

const CwCode *
cw_code_item_get_code (CwCodeItem *self)
{
  g_return_val_if_fail (CW_IS_CODE_ITEM (self), NULL);

  return self->code;
}

gint64
cw_code_item_get_id (CwCodeItem *self)
{
  g_return_val_if_fail (CW_IS_CODE_ITEM (self), 0);

  return self->code->id;
}

void
cw_code_item_set_code (CwCodeItem   *self,
                       const CwCode *code)
{
  g_return_if_fail (CW_IS_CODE_ITEM (self));
  g_return_if_fail (code != NULL && code->id == self->code->id);

  cw_code_free (self->code);
  self->code = cw_code_copy (code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

GListStore *
cw_code_item_get_children (CwCodeItem *self)
{
  g_return_val_if_fail (CW_IS_CODE_ITEM (self), NULL);

  return self->children;
}

guint
cw_code_item_get_quick_key (CwCodeItem *self)
{
  g_return_val_if_fail (CW_IS_CODE_ITEM (self), 0);

  return self->quick_key;
}

void
cw_code_item_set_quick_key (CwCodeItem *self,
                            guint       key)
{
  g_return_if_fail (CW_IS_CODE_ITEM (self));
  g_return_if_fail (key <= CW_N_QUICK_KEYS);

  if (self->quick_key == key)
    return;
  self->quick_key = key;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

GArray *
cw_code_quick_keys (GPtrArray *codes)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; codes != NULL && i < codes->len && ids->len < CW_N_QUICK_KEYS; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);

      if (code->codable)
        g_array_append_val (ids, code->id);
    }

  return ids;
}

const char *
cw_code_path_basename (const char *path)
{
  const char *slash;

  if (path == NULL)
    return "";
  slash = strrchr (path, '/');
  return slash != NULL ? slash + 1 : path;
}

void
cw_code_parse_color (const char *color,
                     double      alpha,
                     GdkRGBA    *rgba)
{
  if (color == NULL || !gdk_rgba_parse (rgba, color))
    *rgba = (GdkRGBA) { 0.6, 0.6, 0.6, 1.0 };
  rgba->alpha = alpha;
}

typedef struct
{
  GdkRGBA  color;
  gboolean filled;
} Swatch;

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  Swatch *swatch = user_data;
  double size = MIN (width, height) - 2;
  double x = (width - size) / 2, y = (height - size) / 2, r = 3;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + size - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + size - r, y + size - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + size - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, &swatch->color);
  if (swatch->filled)
    {
      cairo_fill (cr);
    }
  else
    {
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
}

GtkWidget *
cw_code_swatch_new (void)
{
  GtkWidget *area = gtk_drawing_area_new ();
  Swatch *swatch = g_new0 (Swatch, 1);

  swatch->filled = TRUE;
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 14);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 14);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, swatch, g_free);
  g_object_set_data (G_OBJECT (area), "cw-swatch", swatch);
  return area;
}

void
cw_code_swatch_set_color (GtkWidget  *area,
                          const char *color,
                          gboolean    filled)
{
  Swatch *swatch = g_object_get_data (G_OBJECT (area), "cw-swatch");

  g_return_if_fail (swatch != NULL);

  cw_code_parse_color (color, 1.0, &swatch->color);
  swatch->filled = filled;
  gtk_widget_queue_draw (area);
}
