/*
 * kc-reports-page.h — the reports page (Báo cáo): a report chooser and the
 * chosen report's parameters; report.summary of a range of years grouped by
 * province, category or year (a table with its totals row and a bar chart),
 * report.programme, report.province, report.registration_list (Mẫu 2) and
 * report.cost_estimate (Mẫu 1) as tables; any of them exported through
 * report.export and printed with GtkPrintOperation (to a PDF without the
 * dialog when KC_PRINT_TO_FILE names one).
 */
#pragma once

#include "kc-table-page.h"

G_BEGIN_DECLS

#define KC_TYPE_REPORTS_PAGE (kc_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (KcReportsPage, kc_reports_page, KC, REPORTS_PAGE, KcTablePage)

KcReportsPage *kc_reports_page_new (KcSession *session);

G_END_DECLS
