/*
 * kc-budget-line-row.h — KcBudgetLineRow: one funding source's line of the
 * project editor's Budget tab (KcBudgetSection): its name, the amount typed
 * (in đồng), its share of the total, and the error under the amount.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KC_TYPE_BUDGET_LINE_ROW (kc_budget_line_row_get_type ())
G_DECLARE_FINAL_TYPE (KcBudgetLineRow, kc_budget_line_row, KC, BUDGET_LINE_ROW, GtkGrid)

/* The line of @source (one of kc_sources). Emits ::changed when the amount
 * is edited. */
KcBudgetLineRow *kc_budget_line_row_new (const char *source);
const char *kc_budget_line_row_get_source (KcBudgetLineRow *self);
/* The text typed, "" for none. */
const char *kc_budget_line_row_get_text (KcBudgetLineRow *self);
void kc_budget_line_row_set_text (KcBudgetLineRow *self, const char *text);
/* The share of the total ("" while there is none). */
void kc_budget_line_row_set_share (KcBudgetLineRow *self, const char *text);
/* @text under the amount (NULL: none), the amount left as it looks. */
void kc_budget_line_row_set_error (KcBudgetLineRow *self, const char *text);
/* The server's objection @text: under the amount, which is marked invalid
 * and described by it. */
void kc_budget_line_row_mark (KcBudgetLineRow *self, const char *text);
/* No error, no invalid mark. */
void kc_budget_line_row_clear_error (KcBudgetLineRow *self);
/* The name and the share line up with the section's columns. */
void kc_budget_line_row_align (KcBudgetLineRow *self, GtkSizeGroup *names, GtkSizeGroup *shares);

G_END_DECLS
