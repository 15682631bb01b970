/*
 * kc-catalog-page.h — the catalogue (Danh mục) for the administrator:
 * content categories, funding sources, indicators and support caps with
 * their legal act, validity and confidence; corrections through
 * catalog.update, a new cap value through catalog.add_cap.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_CATALOG_PAGE (kc_catalog_page_get_type ())
G_DECLARE_FINAL_TYPE (KcCatalogPage, kc_catalog_page, KC, CATALOG_PAGE, GtkBox)

KcCatalogPage *kc_catalog_page_new (KcSession *session);
void kc_catalog_page_refresh (KcCatalogPage *self);

G_END_DECLS
