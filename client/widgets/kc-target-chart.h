/*
 * kc-target-chart.h — KcTargetChart: a programme's indicators, achieved
 * against target, as horizontal bars (a full grey bar is the target, the
 * coloured part what is achieved), each with its numbers beside it ("8 / 12
 * mô hình — 66,7 %"): indicators of different units side by side, which
 * KcChart's money axis cannot show.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KC_TYPE_TARGET_CHART (kc_target_chart_get_type ())
G_DECLARE_FINAL_TYPE (KcTargetChart, kc_target_chart, KC, TARGET_CHART, GtkDrawingArea)

GtkWidget *kc_target_chart_new (void);
void kc_target_chart_clear (KcTargetChart *self);
/* Adds a bar after the others; takes @label and @figures (transfer full):
 * @figures is the text beside the bar. */
void kc_target_chart_take_bar (KcTargetChart *self, char *label, char *figures, double achieved,
                               double target);

G_END_DECLS
