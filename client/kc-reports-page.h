/*
 * kc-reports-page.h — the reports page (Báo cáo): report.summary of a range
 * of years grouped by province, category or year, as a table with its totals
 * row and as a bar chart; exported through report.export and printed.
 */
#pragma once

#include "kc-table-page.h"

G_BEGIN_DECLS

#define KC_TYPE_REPORTS_PAGE (kc_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (KcReportsPage, kc_reports_page, KC, REPORTS_PAGE, KcTablePage)

KcReportsPage *kc_reports_page_new (KcSession *session);

G_END_DECLS
