/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-project-summary.c — KcProjectSummary (see the header).
 */
#include "kc-project-summary.h"

#include "kc-collate.h"
#include "kc-json.h"

struct _KcProjectSummary
{
  GObject parent_instance;

  gint64 id;
  gint64 plan_id;
  gint64 org_id;
  gint64 version;
  gint64 total;
  int year;
  char *code;
  char *title;
  char *status;
  char *stage;
  char *title_key; /* (nullable): until first asked for */
};

G_DEFINE_TYPE (KcProjectSummary, kc_project_summary, G_TYPE_OBJECT)

KcProjectSummary *
kc_project_summary_new_from_json (JsonObject *object)
{
  KcProjectSummary *self = g_object_new (KC_TYPE_PROJECT_SUMMARY, NULL);

  self->id = kc_json_int (object, "id");
  self->plan_id = kc_json_int (object, "plan_id");
  self->org_id = kc_json_int (object, "org_id");
  self->version = kc_json_int (object, "version");
  self->total = kc_json_int (object, "total");
  self->year = (int)kc_json_int (object, "year");
  self->code = kc_json_dup_string (object, "code");
  self->title = kc_json_dup_string (object, "title");
  self->status = kc_json_dup_string (object, "status");
  self->stage = kc_json_dup_string (object, "stage");
  return self;
}

gint64
kc_project_summary_get_id (KcProjectSummary *self)
{
  return self->id;
}

gint64
kc_project_summary_get_plan_id (KcProjectSummary *self)
{
  return self->plan_id;
}

gint64
kc_project_summary_get_org_id (KcProjectSummary *self)
{
  return self->org_id;
}

gint64
kc_project_summary_get_version (KcProjectSummary *self)
{
  return self->version;
}

int
kc_project_summary_get_year (KcProjectSummary *self)
{
  return self->year;
}

gint64
kc_project_summary_get_total (KcProjectSummary *self)
{
  return self->total;
}

const char *
kc_project_summary_get_code (KcProjectSummary *self)
{
  return self->code;
}

const char *
kc_project_summary_get_title (KcProjectSummary *self)
{
  return self->title;
}

const char *
kc_project_summary_get_status (KcProjectSummary *self)
{
  return self->status;
}

const char *
kc_project_summary_get_stage (KcProjectSummary *self)
{
  return self->stage;
}

const char *
kc_project_summary_get_title_key (KcProjectSummary *self)
{
  if (self->title_key == NULL)
    self->title_key = kc_collate_key (self->title);
  return self->title_key;
}

/* GObject overrides */

static void
kc_project_summary_finalize (GObject *object)
{
  KcProjectSummary *self = KC_PROJECT_SUMMARY (object);

  g_free (self->code);
  g_free (self->title);
  g_free (self->status);
  g_free (self->stage);
  g_free (self->title_key);
  G_OBJECT_CLASS (kc_project_summary_parent_class)->finalize (object);
}

static void
kc_project_summary_class_init (KcProjectSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_project_summary_finalize;
}

static void
kc_project_summary_init (KcProjectSummary *self)
{
}
