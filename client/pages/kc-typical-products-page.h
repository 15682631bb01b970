/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-typical-products-page.h — the register of typical rural industrial
 * products (sản phẩm công nghiệp nông thôn tiêu biểu, TT 26/2014/TT-BCT):
 * each certificate by level and year, the establishment and its product,
 * whether it holds today; searchable (diacritics folded) and filtered by
 * level. The administrator and a province's leader (its own province)
 * record and correct certificates (typical_product.list, .create,
 * .update); a project's typical-product priority follows from them.
 */
#pragma once

#include "kc-table-page.h"

G_BEGIN_DECLS

#define KC_TYPE_TYPICAL_PRODUCTS_PAGE (kc_typical_products_page_get_type ())
G_DECLARE_FINAL_TYPE (KcTypicalProductsPage, kc_typical_products_page, KC, TYPICAL_PRODUCTS_PAGE,
                      KcTablePage)

KcTypicalProductsPage *kc_typical_products_page_new (KcSession *session);

G_END_DECLS
