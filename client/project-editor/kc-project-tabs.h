/*
 * kc-project-tabs.h — the two read-only tabs of the project editor:
 * "Changes since the version sent back" (review.diff: field, value in the
 * version sent back, value now, budget lines and indicators included) and
 * "Budget & implementation" (budget.project and progress.list: decisions,
 * allocations, contracts, payments, progress reports). The editor makes the
 * calls; these only show what came back, money as "1.234.567 ₫" and dates
 * as dd/mm/yyyy.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

GtkWidget *kc_diff_view_new (void);
/* @diff: the result of review.diff; @catalog (nullable) names indicators. */
void kc_diff_view_fill (GtkWidget *view, JsonObject *diff, JsonObject *catalog);

GtkWidget *kc_money_view_new (void);
/* @budget: the result of budget.project; @progress (nullable): the items of
 * progress.list. */
void kc_money_view_fill (GtkWidget *view, JsonObject *budget, JsonArray *progress);

G_END_DECLS
