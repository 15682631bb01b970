/*
 * kc-project-summary.h — KcProjectSummary: a line of project.list (with
 * brief: true: id, code, plan_id, year, org_id, title, status, stage,
 * version, total) or project.get's answer read as one, parsed once from the
 * reply; the projects page reads its fields, not the JSON.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_PROJECT_SUMMARY (kc_project_summary_get_type ())
G_DECLARE_FINAL_TYPE (KcProjectSummary, kc_project_summary, KC, PROJECT_SUMMARY, GObject)

/* (transfer full): @object (borrowed) read; absent members are 0 or "". */
KcProjectSummary *kc_project_summary_new_from_json (JsonObject *object);

gint64 kc_project_summary_get_id (KcProjectSummary *self);
gint64 kc_project_summary_get_plan_id (KcProjectSummary *self);
gint64 kc_project_summary_get_org_id (KcProjectSummary *self);
gint64 kc_project_summary_get_version (KcProjectSummary *self);
int kc_project_summary_get_year (KcProjectSummary *self);
/* Đồng. */
gint64 kc_project_summary_get_total (KcProjectSummary *self);
/* (transfer none), never NULL. */
const char *kc_project_summary_get_code (KcProjectSummary *self);
const char *kc_project_summary_get_title (KcProjectSummary *self);
/* The status and stage codes (kc-labels words them). */
const char *kc_project_summary_get_status (KcProjectSummary *self);
const char *kc_project_summary_get_stage (KcProjectSummary *self);
/* (transfer none): the title's Vietnamese sort key (kc_collate_key()),
 * made the first time it is asked for and kept with the record. */
const char *kc_project_summary_get_title_key (KcProjectSummary *self);

G_END_DECLS
