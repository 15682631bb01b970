/*
 * kc-dashboard-page.h — KcDashboardPage: the leader's dashboard (issue 16),
 * for the province leader and the Ministry's roles: report.dashboard for a
 * year — money by source (planned, allocated, paid, settled) as a chart
 * with the figures beside it, the disbursement rate, projects by status,
 * indicators achieved against target, what is late; on the Ministry's side
 * also per province, by name, in a list sorted by any column.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_DASHBOARD_PAGE (kc_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (KcDashboardPage, kc_dashboard_page, KC, DASHBOARD_PAGE, GtkBox)

KcDashboardPage *kc_dashboard_page_new (KcSession *session);
void kc_dashboard_page_refresh (KcDashboardPage *self);

/* "37,5 %" for a percentage (× 100, one decimal), "—" for none (transfer
 * full). */
char *kc_dashboard_percent_text (gboolean known, double percent);

G_END_DECLS
