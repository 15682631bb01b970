/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-typical-product.c — KcTypicalProduct (see the header).
 */
#include "kc-typical-product.h"

#include "kc-collate.h"
#include "kc-json.h"

struct _KcTypicalProduct
{
  GObject parent_instance;

  gint64 id;
  gint64 version;
  gint64 org_id;
  gint64 score;
  int year;
  gboolean has_score;
  gboolean revoked;
  gboolean valid_now;
  char *certificate_no;
  char *level;
  char *product_name;
  char *establishment_name;
  char *tax_code;
  char *issued_on;
  char *valid_until;
  char *search_text;
};

G_DEFINE_TYPE (KcTypicalProduct, kc_typical_product, G_TYPE_OBJECT)

KcTypicalProduct *
kc_typical_product_new_from_json (JsonObject *object)
{
  KcTypicalProduct *self = g_object_new (KC_TYPE_TYPICAL_PRODUCT, NULL);
  JsonNode *score = object != NULL ? json_object_get_member (object, "score") : NULL;
  g_autofree char *all = NULL;

  self->id = kc_json_int (object, "id");
  self->version = kc_json_int (object, "version");
  self->org_id = kc_json_int (object, "org_id");
  self->year = (int)kc_json_int (object, "year");
  self->has_score = score != NULL && JSON_NODE_HOLDS_VALUE (score);
  self->score = kc_json_int (object, "score");
  self->revoked = kc_json_bool (object, "revoked");
  self->valid_now = kc_json_bool (object, "valid_now");
  self->certificate_no = kc_json_dup_string (object, "certificate_no");
  self->level = kc_json_dup_string (object, "level");
  self->product_name = kc_json_dup_string (object, "product_name");
  self->establishment_name = kc_json_dup_string (object, "establishment_name");
  self->tax_code = kc_json_dup_string (object, "tax_code");
  self->issued_on = kc_json_dup_string (object, "issued_on");
  self->valid_until = kc_json_dup_string (object, "valid_until");
  all = g_strjoin (" ", self->product_name, self->establishment_name, self->tax_code,
                   self->certificate_no, NULL);
  self->search_text = kc_fold_for_search (all);
  return self;
}

gint64
kc_typical_product_get_id (KcTypicalProduct *self)
{
  return self->id;
}

gint64
kc_typical_product_get_version (KcTypicalProduct *self)
{
  return self->version;
}

const char *
kc_typical_product_get_certificate_no (KcTypicalProduct *self)
{
  return self->certificate_no;
}

const char *
kc_typical_product_get_level (KcTypicalProduct *self)
{
  return self->level;
}

int
kc_typical_product_get_year (KcTypicalProduct *self)
{
  return self->year;
}

const char *
kc_typical_product_get_product_name (KcTypicalProduct *self)
{
  return self->product_name;
}

const char *
kc_typical_product_get_establishment_name (KcTypicalProduct *self)
{
  return self->establishment_name;
}

const char *
kc_typical_product_get_tax_code (KcTypicalProduct *self)
{
  return self->tax_code;
}

gint64
kc_typical_product_get_org_id (KcTypicalProduct *self)
{
  return self->org_id;
}

gboolean
kc_typical_product_get_score (KcTypicalProduct *self, gint64 *score)
{
  if (self->has_score)
    *score = self->score;
  return self->has_score;
}

const char *
kc_typical_product_get_issued_on (KcTypicalProduct *self)
{
  return self->issued_on;
}

const char *
kc_typical_product_get_valid_until (KcTypicalProduct *self)
{
  return self->valid_until;
}

gboolean
kc_typical_product_get_revoked (KcTypicalProduct *self)
{
  return self->revoked;
}

gboolean
kc_typical_product_get_valid_now (KcTypicalProduct *self)
{
  return self->valid_now;
}

const char *
kc_typical_product_get_search_text (KcTypicalProduct *self)
{
  return self->search_text;
}

/* GObject overrides */

static void
kc_typical_product_finalize (GObject *object)
{
  KcTypicalProduct *self = KC_TYPICAL_PRODUCT (object);

  g_free (self->certificate_no);
  g_free (self->level);
  g_free (self->product_name);
  g_free (self->establishment_name);
  g_free (self->tax_code);
  g_free (self->issued_on);
  g_free (self->valid_until);
  g_free (self->search_text);
  G_OBJECT_CLASS (kc_typical_product_parent_class)->finalize (object);
}

static void
kc_typical_product_class_init (KcTypicalProductClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_typical_product_finalize;
}

static void
kc_typical_product_init (KcTypicalProduct *self)
{
}
