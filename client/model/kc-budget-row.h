/*
 * kc-budget-row.h — KcBudgetRow: a line of budget.summary, by funding
 * source (by_source: appropriated, allocated, remaining) or by province
 * (by_province: allocated, contracted, paid, remaining), parsed once from
 * the reply; the budget page reads its fields, not the JSON. A figure the
 * server did not send is absent, not 0.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  KC_BUDGET_APPROPRIATED,
  KC_BUDGET_ALLOCATED,
  KC_BUDGET_CONTRACTED,
  KC_BUDGET_PAID,
  KC_BUDGET_REMAINING,
  KC_BUDGET_N_FIGURES
} KcBudgetFigure;

#define KC_TYPE_BUDGET_ROW (kc_budget_row_get_type ())
G_DECLARE_FINAL_TYPE (KcBudgetRow, kc_budget_row, KC, BUDGET_ROW, GObject)

/* (transfer full): @object (borrowed), an item of by_source or by_province. */
KcBudgetRow *kc_budget_row_new_from_json (JsonObject *object);
/* (transfer full, nullable): the management line of budget.summary's
 * @management (borrowed, nullable): its limit as appropriated, spent as
 * paid, and remaining; NULL when there is none (no C23 share in force). */
KcBudgetRow *kc_budget_row_new_management (JsonObject *management);

/* TRUE and *@value (đồng) when the server sent @figure. */
gboolean kc_budget_row_get_figure (KcBudgetRow *self, KcBudgetFigure figure, gint64 *value);
/* (transfer none, nullable): the source code of a by_source line. */
const char *kc_budget_row_get_source (KcBudgetRow *self);
/* (transfer none, nullable): a by_province line's province, by name
 * (sql/0035) or, from an older server, by code. */
const char *kc_budget_row_get_province_name (KcBudgetRow *self);
const char *kc_budget_row_get_province_code (KcBudgetRow *self);
/* The management line's share of the appropriation (per cent); < 0 for
 * the other lines. */
double kc_budget_row_get_management_pct (KcBudgetRow *self);

G_END_DECLS
