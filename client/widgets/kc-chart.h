/*
 * kc-chart.h — KcChart: the reports' bar chart: per label (a province, a
 * category, a year) what was planned and what was paid, two bars side by
 * side, in tỷ đồng, with gridlines, slanted labels when there are many and
 * a legend.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KC_TYPE_CHART (kc_chart_get_type ())
G_DECLARE_FINAL_TYPE (KcChart, kc_chart, KC, CHART, GtkDrawingArea)

GtkWidget *kc_chart_new (void);
/* No bars ("No figures for these years"). */
void kc_chart_clear (KcChart *self);
/* Adds a pair of bars after the others; takes @label (transfer full). */
void kc_chart_take_bar (KcChart *self, char *label, gint64 planned, gint64 paid);

G_END_DECLS
