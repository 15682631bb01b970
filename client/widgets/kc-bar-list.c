/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-bar-list.c — KcBarList (see its header).
 */
#include "kc-bar-list.h"

#define ROW_HEIGHT 26
#define LABEL_WIDTH 220
#define FIGURE_WIDTH 200

typedef struct
{
  char *label;
  char *figure;
  double fraction;
  gboolean late;
} Bar;

struct _KcBarList
{
  GtkDrawingArea parent_instance;

  GArray *bars; /* of Bar */
  char *empty_text;
};

G_DEFINE_TYPE (KcBarList, kc_bar_list, GTK_TYPE_DRAWING_AREA)

static void
bar_clear (gpointer data)
{
  Bar *bar = data;

  g_free (bar->label);
  g_free (bar->figure);
}

static void
update_size (KcBarList *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), LABEL_WIDTH + FIGURE_WIDTH + 160,
                               MAX (1, (int)self->bars->len) * ROW_HEIGHT + 8);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
show_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, int width)
{
  int h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, NULL, &h);
  cairo_move_to (cr, x, y + (ROW_HEIGHT - h) / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static gboolean
kc_bar_list_draw (GtkWidget *widget, cairo_t *cr)
{
  KcBarList *self = KC_BAR_LIST (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_allocated_width (widget);
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  double plot = MAX (40, width - LABEL_WIDTH - FIGURE_WIDTH - 24);
  GdkRGBA fg;

  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &fg);
  gdk_cairo_set_source_rgba (cr, &fg);
  if (self->bars->len == 0)
    {
      show_text (cr, layout, self->empty_text != NULL ? self->empty_text : "", 0, 4, width);
      return FALSE;
    }
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      double y = 4 + i * ROW_HEIGHT, length = CLAMP (bar->fraction, 0, 1) * plot;

      gdk_cairo_set_source_rgba (cr, &fg);
      show_text (cr, layout, bar->label, 0, y, LABEL_WIDTH - 8);
      /* The track, then the bar. */
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.10);
      cairo_rectangle (cr, LABEL_WIDTH, y + 5, plot, ROW_HEIGHT - 10);
      cairo_fill (cr);
      if (bar->late)
        cairo_set_source_rgb (cr, 0.80, 0.15, 0.15);
      else
        cairo_set_source_rgb (cr, 0.20, 0.40, 0.70);
      cairo_rectangle (cr, LABEL_WIDTH, y + 5, MAX (length, bar->fraction > 0 ? 2 : 0),
                       ROW_HEIGHT - 10);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, &fg);
      show_text (cr, layout, bar->figure, LABEL_WIDTH + plot + 12, y, FIGURE_WIDTH);
    }
  return FALSE;
}

static void
kc_bar_list_finalize (GObject *object)
{
  KcBarList *self = KC_BAR_LIST (object);

  g_array_unref (self->bars);
  g_free (self->empty_text);
  G_OBJECT_CLASS (kc_bar_list_parent_class)->finalize (object);
}

static void
kc_bar_list_class_init (KcBarListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_bar_list_finalize;
  GTK_WIDGET_CLASS (klass)->draw = kc_bar_list_draw;
}

static void
kc_bar_list_init (KcBarList *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, bar_clear);
  update_size (self);
}

GtkWidget *
kc_bar_list_new (void)
{
  return g_object_new (KC_TYPE_BAR_LIST, NULL);
}

void
kc_bar_list_clear (KcBarList *self, const char *empty_text)
{
  g_return_if_fail (KC_IS_BAR_LIST (self));

  g_array_set_size (self->bars, 0);
  g_free (self->empty_text);
  self->empty_text = g_strdup (empty_text);
  update_size (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
kc_bar_list_take (KcBarList *self, char *label, double fraction, char *figure, gboolean late)
{
  Bar bar = { label, figure, fraction, late };

  g_return_if_fail (KC_IS_BAR_LIST (self));

  g_array_append_val (self->bars, bar);
  update_size (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
