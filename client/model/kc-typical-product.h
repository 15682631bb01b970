/*
 * kc-typical-product.h — KcTypicalProduct: a typical rural industrial
 * product certificate as typical_product.list lists it (id, version,
 * certificate_no, level, year, product_name, establishment_name, tax_code,
 * org_id, score, issued_on, valid_until, revoked, valid_now), parsed once
 * from the reply, with its search text made once; the register page reads
 * its fields, not the JSON.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_TYPICAL_PRODUCT (kc_typical_product_get_type ())
G_DECLARE_FINAL_TYPE (KcTypicalProduct, kc_typical_product, KC, TYPICAL_PRODUCT, GObject)

/* (transfer full): @object (borrowed) read; absent numbers are 0, absent
 * booleans FALSE, absent strings "". */
KcTypicalProduct *kc_typical_product_new_from_json (JsonObject *object);

gint64 kc_typical_product_get_id (KcTypicalProduct *self);
gint64 kc_typical_product_get_version (KcTypicalProduct *self);
/* (transfer none): never NULL. */
const char *kc_typical_product_get_certificate_no (KcTypicalProduct *self);
/* (transfer none): district, province, regional or national; never NULL. */
const char *kc_typical_product_get_level (KcTypicalProduct *self);
int kc_typical_product_get_year (KcTypicalProduct *self);
/* (transfer none): never NULL. */
const char *kc_typical_product_get_product_name (KcTypicalProduct *self);
const char *kc_typical_product_get_establishment_name (KcTypicalProduct *self);
/* (transfer none): "" when none. */
const char *kc_typical_product_get_tax_code (KcTypicalProduct *self);
/* The province that issued it. */
gint64 kc_typical_product_get_org_id (KcTypicalProduct *self);
/* FALSE (and @score untouched) when no score was recorded. */
gboolean kc_typical_product_get_score (KcTypicalProduct *self, gint64 *score);
/* (transfer none): ISO dates; "" when absent. */
const char *kc_typical_product_get_issued_on (KcTypicalProduct *self);
const char *kc_typical_product_get_valid_until (KcTypicalProduct *self);
gboolean kc_typical_product_get_revoked (KcTypicalProduct *self);
gboolean kc_typical_product_get_valid_now (KcTypicalProduct *self);
/* (transfer none): what a search matches: kc_fold_for_search() of the
 * product, the establishment, the tax code and the certificate number,
 * separated by spaces (the page adds the province's name). */
const char *kc_typical_product_get_search_text (KcTypicalProduct *self);

G_END_DECLS
