/*
 * kc-bar-list.h — KcBarList: horizontal bars drawn with cairo, one a line:
 * a label on the left, a bar whose length is a fraction of the widest, and
 * the figure beside it as text ("12 đề án", "20 / 60 (33,3 %)"). For counts
 * and proportions, where KcChart shows money in tỷ đồng.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KC_TYPE_BAR_LIST (kc_bar_list_get_type ())
G_DECLARE_FINAL_TYPE (KcBarList, kc_bar_list, KC, BAR_LIST, GtkDrawingArea)

GtkWidget *kc_bar_list_new (void);
/* No bars: @empty_text (nullable) is shown instead (copied). */
void kc_bar_list_clear (KcBarList *self, const char *empty_text);
/* A bar after the others, @fraction 0–1 of the full length (clamped);
 * takes @label and @figure (transfer full). @late draws it in the error
 * colour. */
void kc_bar_list_take (KcBarList *self, char *label, double fraction, char *figure, gboolean late);

G_END_DECLS
