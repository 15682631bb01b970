/*
 * kc-org.h — KcOrg: an organisation as org.list lists it (id, code, name,
 * kind, valid_from, valid_to), parsed once from the reply, with its name's
 * sort key and its search text made once; the organisations page reads its
 * fields, not the JSON. (KcOrgDirectory keeps its own map of the session's
 * organisations, by id.)
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_ORG (kc_org_get_type ())
G_DECLARE_FINAL_TYPE (KcOrg, kc_org, KC, ORG, GObject)

/* (transfer full): @object (borrowed) read; absent numbers are 0, absent
 * strings "". */
KcOrg *kc_org_new_from_json (JsonObject *object);

gint64 kc_org_get_id (KcOrg *self);
/* (transfer none): never NULL. */
const char *kc_org_get_code (KcOrg *self);
const char *kc_org_get_name (KcOrg *self);
/* (transfer none): the kind code (kc-labels words it), never NULL. */
const char *kc_org_get_kind (KcOrg *self);
/* (transfer none): ISO dates; "" when absent (valid_to: still current). */
const char *kc_org_get_valid_from (KcOrg *self);
const char *kc_org_get_valid_to (KcOrg *self);
/* TRUE when it has no valid_to (today's map). */
gboolean kc_org_get_current (KcOrg *self);
/* (transfer none): kc_collate_key() of the name (g_strcmp0 orders). */
const char *kc_org_get_name_key (KcOrg *self);
/* (transfer none): what a search matches: kc_fold_for_search() of the name,
 * a space, the code. */
const char *kc_org_get_search_text (KcOrg *self);

G_END_DECLS
