/*
 * kc-budget-section.h — KcBudgetSection: the Budget tab of the project
 * editor (a KcEditorSection): the support cap and total cost fields, one
 * budget line per funding source with its share, and their total.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KC_TYPE_BUDGET_SECTION (kc_budget_section_get_type ())
G_DECLARE_FINAL_TYPE (KcBudgetSection, kc_budget_section, KC, BUDGET_SECTION, GtkGrid)

G_END_DECLS
