/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-target-chart.c — KcTargetChart (see its header).
 */
#include "kc-target-chart.h"

#include <glib/gi18n.h>

#define ROW_HEIGHT 34

typedef struct
{
  char *label;
  char *figures;
  double achieved;
  double target;
} Bar;

struct _KcTargetChart
{
  GtkDrawingArea parent_instance;

  GArray *bars; /* of Bar */
};

G_DEFINE_TYPE (KcTargetChart, kc_target_chart, GTK_TYPE_DRAWING_AREA)

static void
bar_clear (gpointer data)
{
  Bar *bar = data;

  g_free (bar->label);
  g_free (bar->figures);
}

static void
update_size (KcTargetChart *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), 360,
                               MAX (80, (int)self->bars->len * ROW_HEIGHT + 16));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, int max_width)
{
  int height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, max_width > 0 ? max_width * PANGO_SCALE : -1);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, NULL, &height);
  cairo_move_to (cr, x, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static gboolean
kc_target_chart_draw (GtkWidget *widget, cairo_t *cr)
{
  KcTargetChart *self = KC_TARGET_CHART (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  double label_w = MIN (280, width * 0.35), figures_w = MIN (220, width * 0.3);
  double bar_x = label_w + 8, bar_w = MAX (40, width - bar_x - figures_w - 16);
  GdkRGBA fg;

  gtk_render_background (style, cr, 0, 0, width, height);
  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &fg);
  if (self->bars->len == 0)
    {
      gdk_cairo_set_source_rgba (cr, &fg);
      draw_text (cr, layout, _ ("No targets yet"), 8, height / 2.0, width - 16);
      return FALSE;
    }
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      double y = 8 + i * ROW_HEIGHT + ROW_HEIGHT / 2.0;
      double share = bar->target > 0 ? bar->achieved / bar->target : 0;

      gdk_cairo_set_source_rgba (cr, &fg);
      draw_text (cr, layout, bar->label, 4, y, (int)label_w - 8);
      /* The target: the whole bar. */
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
      cairo_rectangle (cr, bar_x, y - 9, bar_w, 18);
      cairo_fill (cr);
      /* What is achieved; past the target, the bar is full and green. */
      if (share >= 1)
        cairo_set_source_rgb (cr, 0.18, 0.55, 0.24);
      else
        cairo_set_source_rgb (cr, 0.20, 0.45, 0.75);
      cairo_rectangle (cr, bar_x, y - 9, bar_w * CLAMP (share, 0, 1), 18);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, &fg);
      draw_text (cr, layout, bar->figures, bar_x + bar_w + 8, y, (int)figures_w);
    }
  return FALSE;
}

void
kc_target_chart_clear (KcTargetChart *self)
{
  g_array_set_size (self->bars, 0);
  update_size (self);
}

void
kc_target_chart_take_bar (KcTargetChart *self, char *label, char *figures, double achieved,
                          double target)
{
  Bar bar = { label, figures, achieved, target };

  g_array_append_val (self->bars, bar);
  update_size (self);
}

static void
kc_target_chart_finalize (GObject *object)
{
  g_array_unref (KC_TARGET_CHART (object)->bars);
  G_OBJECT_CLASS (kc_target_chart_parent_class)->finalize (object);
}

static void
kc_target_chart_class_init (KcTargetChartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_target_chart_finalize;
  GTK_WIDGET_CLASS (klass)->draw = kc_target_chart_draw;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), ATK_ROLE_CHART);
}

static void
kc_target_chart_init (KcTargetChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, bar_clear);
  update_size (self);
}

GtkWidget *
kc_target_chart_new (void)
{
  return g_object_new (KC_TYPE_TARGET_CHART, NULL);
}
