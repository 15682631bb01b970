/*
 * kc-account.h — KcAccount: an account as user.list lists it (id, version,
 * username, full_name, role, org_id, disabled, must_change_password),
 * parsed once from the reply, with the full name's sort key made once; the
 * accounts page reads its fields, not the JSON.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_ACCOUNT (kc_account_get_type ())
G_DECLARE_FINAL_TYPE (KcAccount, kc_account, KC, ACCOUNT, GObject)

/* (transfer full): @object (borrowed) read; absent numbers are 0, absent
 * booleans FALSE, absent strings "". */
KcAccount *kc_account_new_from_json (JsonObject *object);

gint64 kc_account_get_id (KcAccount *self);
gint64 kc_account_get_version (KcAccount *self);
/* (transfer none): never NULL. */
const char *kc_account_get_username (KcAccount *self);
const char *kc_account_get_full_name (KcAccount *self);
/* (transfer none): kc_collate_key() of the full name (g_strcmp0 orders). */
const char *kc_account_get_full_name_key (KcAccount *self);
/* (transfer none): the role code, never NULL. */
const char *kc_account_get_role (KcAccount *self);
gint64 kc_account_get_org_id (KcAccount *self);
gboolean kc_account_get_disabled (KcAccount *self);
gboolean kc_account_get_must_change_password (KcAccount *self);

G_END_DECLS
