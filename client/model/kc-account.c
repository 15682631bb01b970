/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-account.c — KcAccount (see the header).
 */
#include "kc-account.h"

#include "kc-collate.h"
#include "kc-json.h"

struct _KcAccount
{
  GObject parent_instance;

  gint64 id;
  gint64 version;
  gint64 org_id;
  gboolean disabled;
  gboolean must_change_password;
  char *username;
  char *full_name;
  char *full_name_key;
  char *role;
};

G_DEFINE_TYPE (KcAccount, kc_account, G_TYPE_OBJECT)

KcAccount *
kc_account_new_from_json (JsonObject *object)
{
  KcAccount *self = g_object_new (KC_TYPE_ACCOUNT, NULL);

  self->id = kc_json_int (object, "id");
  self->version = kc_json_int (object, "version");
  self->org_id = kc_json_int (object, "org_id");
  self->disabled = kc_json_bool (object, "disabled");
  self->must_change_password = kc_json_bool (object, "must_change_password");
  self->username = kc_json_dup_string (object, "username");
  self->full_name = kc_json_dup_string (object, "full_name");
  self->full_name_key = kc_collate_key (self->full_name);
  self->role = kc_json_dup_string (object, "role");
  return self;
}

gint64
kc_account_get_id (KcAccount *self)
{
  return self->id;
}

gint64
kc_account_get_version (KcAccount *self)
{
  return self->version;
}

const char *
kc_account_get_username (KcAccount *self)
{
  return self->username;
}

const char *
kc_account_get_full_name (KcAccount *self)
{
  return self->full_name;
}

const char *
kc_account_get_full_name_key (KcAccount *self)
{
  return self->full_name_key;
}

const char *
kc_account_get_role (KcAccount *self)
{
  return self->role;
}

gint64
kc_account_get_org_id (KcAccount *self)
{
  return self->org_id;
}

gboolean
kc_account_get_disabled (KcAccount *self)
{
  return self->disabled;
}

gboolean
kc_account_get_must_change_password (KcAccount *self)
{
  return self->must_change_password;
}

/* GObject overrides */

static void
kc_account_finalize (GObject *object)
{
  KcAccount *self = KC_ACCOUNT (object);

  g_free (self->username);
  g_free (self->full_name);
  g_free (self->full_name_key);
  g_free (self->role);
  G_OBJECT_CLASS (kc_account_parent_class)->finalize (object);
}

static void
kc_account_class_init (KcAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_account_finalize;
}

static void
kc_account_init (KcAccount *self)
{
}
