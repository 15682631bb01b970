/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-chart.c — KcChart (see its header).
 */
#include "kc-chart.h"

#include <glib/gi18n.h>
#include <math.h>

struct _KcChart
{
  GtkDrawingArea parent_instance;

  GPtrArray *labels; /* of char * */
  GArray *planned;   /* of gint64, đồng */
  GArray *paid;      /* of gint64, đồng */
};

G_DEFINE_TYPE (KcChart, kc_chart, GTK_TYPE_DRAWING_AREA)

/* Helpers */

static double
nice_step (double max)
{
  double raw = max / 5, magnitude = pow (10, floor (log10 (raw))), residual = raw / magnitude;

  if (residual > 5)
    return 10 * magnitude;
  if (residual > 2)
    return 5 * magnitude;
  if (residual > 1)
    return 2 * magnitude;
  return magnitude;
}

static char *
billions_text (double value)
{
  g_autofree char *text = g_strdup_printf ("%.10g", value);

  g_strdelimit (text, ".", ',');
  return g_steal_pointer (&text);
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double xalign)
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - xalign * width, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static gboolean
kc_chart_draw (GtkWidget *widget, cairo_t *cr)
{
  KcChart *self = KC_CHART (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  guint n = self->labels->len;
  double left = 70, right = 16, top = 28, bottom = 70, max = 0, step, plot_w, plot_h, slot;
  GdkRGBA fg;

  gtk_render_background (style, cr, 0, 0, width, height);
  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &fg);
  gdk_cairo_set_source_rgba (cr, &fg);
  if (n == 0)
    {
      draw_text (cr, layout, _ ("No figures for these years"), width / 2.0, height / 2.0, 0.5);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    max = MAX (max,
               MAX (g_array_index (self->planned, gint64, i), g_array_index (self->paid, gint64, i))
                   / 1e9);
  if (max <= 0)
    max = 1;
  step = nice_step (max);
  max = ceil (max / step) * step;
  plot_w = width - left - right;
  plot_h = height - top - bottom;
  slot = plot_w / n;

  /* Axis title, gridlines and their values in tỷ đồng. */
  draw_text (cr, layout, _ ("billion đồng"), 8, 10, 0);
  cairo_set_line_width (cr, 1);
  for (double v = 0; v <= max + step / 2; v += step)
    {
      double y = top + plot_h - v / max * plot_h;
      g_autofree char *text = billions_text (v);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
      cairo_move_to (cr, left, floor (y) + 0.5);
      cairo_line_to (cr, left + plot_w, floor (y) + 0.5);
      cairo_stroke (cr);
      gdk_cairo_set_source_rgba (cr, &fg);
      draw_text (cr, layout, text, left - 6, y, 1);
    }

  for (guint i = 0; i < n; i++)
    {
      /* Two bars side by side in the middle of their slot, never wider than 40 px. */
      double x = left + i * slot, bar = CLAMP (slot * 0.35, 1, 40), start = x + slot / 2 - bar;
      double planned = g_array_index (self->planned, gint64, i) / 1e9 / max * plot_h;
      double paid = g_array_index (self->paid, gint64, i) / 1e9 / max * plot_h;

      cairo_set_source_rgb (cr, 0.20, 0.40, 0.70);
      cairo_rectangle (cr, start, top + plot_h - planned, bar, planned);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.90, 0.55, 0.15);
      cairo_rectangle (cr, start + bar, top + plot_h - paid, bar, paid);
      cairo_fill (cr);

      /* Province names are long: slanted under their bars, shortened to fit. */
      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_save (cr);
      cairo_move_to (cr, x + slot / 2, top + plot_h + 6);
      cairo_rotate (cr, n > 8 ? G_PI / 4 : 0);
      pango_layout_set_width (layout, (n > 8 ? 90 : (int)slot - 4) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (layout, n > 8 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
      pango_layout_set_text (layout, g_ptr_array_index (self->labels, i), -1);
      if (n <= 8)
        cairo_rel_move_to (cr, -(slot - 4) / 2, 0);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
      pango_layout_set_width (layout, -1);
    }

  /* The legend, top right. */
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  cairo_set_source_rgb (cr, 0.20, 0.40, 0.70);
  cairo_rectangle (cr, width - 260, 4, 12, 12);
  cairo_fill (cr);
  gdk_cairo_set_source_rgba (cr, &fg);
  draw_text (cr, layout, _ ("Planned"), width - 244, 10, 0);
  cairo_set_source_rgb (cr, 0.90, 0.55, 0.15);
  cairo_rectangle (cr, width - 140, 4, 12, 12);
  cairo_fill (cr);
  gdk_cairo_set_source_rgba (cr, &fg);
  draw_text (cr, layout, _ ("Disbursed"), width - 124, 10, 0);
  return FALSE;
}

/* GObject overrides */

static void
kc_chart_finalize (GObject *object)
{
  KcChart *self = KC_CHART (object);

  g_ptr_array_unref (self->labels);
  g_array_unref (self->planned);
  g_array_unref (self->paid);
  G_OBJECT_CLASS (kc_chart_parent_class)->finalize (object);
}

static void
kc_chart_class_init (KcChartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_chart_finalize;
  GTK_WIDGET_CLASS (klass)->draw = kc_chart_draw;
}

static void
kc_chart_init (KcChart *self)
{
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->planned = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->paid = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* Public API */

GtkWidget *
kc_chart_new (void)
{
  return g_object_new (KC_TYPE_CHART, NULL);
}

void
kc_chart_clear (KcChart *self)
{
  g_return_if_fail (KC_IS_CHART (self));

  g_ptr_array_set_size (self->labels, 0);
  g_array_set_size (self->planned, 0);
  g_array_set_size (self->paid, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
kc_chart_take_bar (KcChart *self, char *label, gint64 planned, gint64 paid)
{
  g_return_if_fail (KC_IS_CHART (self));

  g_ptr_array_add (self->labels, label);
  g_array_append_val (self->planned, planned);
  g_array_append_val (self->paid, paid);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
