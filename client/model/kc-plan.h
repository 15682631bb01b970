/*
 * kc-plan.h — KcPlan: a plan as plan.list lists it and plan.get or an act
 * answers it (id, version, year, scope, org_name, title, status,
 * project_count, total, deadline), parsed once from the reply; the plans
 * page reads its fields, not the JSON.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_PLAN (kc_plan_get_type ())
G_DECLARE_FINAL_TYPE (KcPlan, kc_plan, KC, PLAN, GObject)

/* (transfer full): @object (borrowed) read; absent numbers are 0, absent
 * strings NULL. */
KcPlan *kc_plan_new_from_json (JsonObject *object);

gint64 kc_plan_get_id (KcPlan *self);
gint64 kc_plan_get_version (KcPlan *self);
int kc_plan_get_year (KcPlan *self);
int kc_plan_get_project_count (KcPlan *self);
/* Đồng. */
gint64 kc_plan_get_total (KcPlan *self);
/* (transfer none, nullable): national or local. */
const char *kc_plan_get_scope (KcPlan *self);
/* (transfer none, nullable). */
const char *kc_plan_get_org_name (KcPlan *self);
const char *kc_plan_get_title (KcPlan *self);
/* (transfer none, nullable): the status code (kc-labels words it). */
const char *kc_plan_get_status (KcPlan *self);
/* (transfer none, nullable): the submission deadline, an ISO date. */
const char *kc_plan_get_deadline (KcPlan *self);

G_END_DECLS
