/*
 * kc-budget-page.h — the budget of a year (Ngân sách): appropriations by
 * source and what each province was allocated, contracted, paid; the
 * Ministry's approver sets the appropriations here.
 */
#pragma once

#include "kc-table-page.h"

G_BEGIN_DECLS

#define KC_TYPE_BUDGET_PAGE (kc_budget_page_get_type ())
G_DECLARE_FINAL_TYPE (KcBudgetPage, kc_budget_page, KC, BUDGET_PAGE, KcTablePage)

KcBudgetPage *kc_budget_page_new (KcSession *session);

G_END_DECLS
