/*
 * kc-org-page.h — organisations (org.list), filtered by kind, in
 * Vietnamese order.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_ORG_PAGE (kc_org_page_get_type ())
G_DECLARE_FINAL_TYPE (KcOrgPage, kc_org_page, KC, ORG_PAGE, GtkBox)

KcOrgPage *kc_org_page_new (KcSession *session);
void kc_org_page_refresh (KcOrgPage *self);

/* Vietnamese (translated) name of an organisation kind. */
const char *kc_org_kind_display_name (const char *kind);
/* "dd/mm/yyyy" of a wire date, "" for NULL/invalid (transfer full). */
char *kc_format_wire_date (const char *iso);

G_END_DECLS
