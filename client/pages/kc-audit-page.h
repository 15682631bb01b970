/*
 * kc-audit-page.h — the audit log (Nhật ký) for the administrator, newest
 * first, read a page at a time as the list is scrolled.
 */
#pragma once

#include "kc-table-page.h"

G_BEGIN_DECLS

#define KC_TYPE_AUDIT_PAGE (kc_audit_page_get_type ())
G_DECLARE_FINAL_TYPE (KcAuditPage, kc_audit_page, KC, AUDIT_PAGE, KcTablePage)

KcAuditPage *kc_audit_page_new (KcSession *session);

G_END_DECLS
