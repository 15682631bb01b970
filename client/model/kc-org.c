/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-org.c — KcOrg (see the header).
 */
#include "kc-org.h"

#include "kc-collate.h"
#include "kc-json.h"

struct _KcOrg
{
  GObject parent_instance;

  gint64 id;
  char *code;
  char *name;
  char *kind;
  char *valid_from;
  char *valid_to;
  char *name_key;
  char *search_text;
};

G_DEFINE_TYPE (KcOrg, kc_org, G_TYPE_OBJECT)

KcOrg *
kc_org_new_from_json (JsonObject *object)
{
  KcOrg *self = g_object_new (KC_TYPE_ORG, NULL);
  g_autofree char *folded = NULL;

  self->id = kc_json_int (object, "id");
  self->code = kc_json_dup_string (object, "code");
  self->name = kc_json_dup_string (object, "name");
  self->kind = kc_json_dup_string (object, "kind");
  self->valid_from = kc_json_dup_string (object, "valid_from");
  self->valid_to = kc_json_dup_string (object, "valid_to");
  self->name_key = kc_collate_key (self->name);
  folded = kc_fold_for_search (self->name);
  self->search_text = g_strconcat (folded, " ", self->code, NULL);
  return self;
}

gint64
kc_org_get_id (KcOrg *self)
{
  return self->id;
}

const char *
kc_org_get_code (KcOrg *self)
{
  return self->code;
}

const char *
kc_org_get_name (KcOrg *self)
{
  return self->name;
}

const char *
kc_org_get_kind (KcOrg *self)
{
  return self->kind;
}

const char *
kc_org_get_valid_from (KcOrg *self)
{
  return self->valid_from;
}

const char *
kc_org_get_valid_to (KcOrg *self)
{
  return self->valid_to;
}

gboolean
kc_org_get_current (KcOrg *self)
{
  return self->valid_to[0] == '\0';
}

const char *
kc_org_get_name_key (KcOrg *self)
{
  return self->name_key;
}

const char *
kc_org_get_search_text (KcOrg *self)
{
  return self->search_text;
}

/* GObject overrides */

static void
kc_org_finalize (GObject *object)
{
  KcOrg *self = KC_ORG (object);

  g_free (self->code);
  g_free (self->name);
  g_free (self->kind);
  g_free (self->valid_from);
  g_free (self->valid_to);
  g_free (self->name_key);
  g_free (self->search_text);
  G_OBJECT_CLASS (kc_org_parent_class)->finalize (object);
}

static void
kc_org_class_init (KcOrgClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_org_finalize;
}

static void
kc_org_init (KcOrg *self)
{
}
