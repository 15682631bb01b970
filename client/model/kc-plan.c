/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-plan.c — KcPlan (see the header).
 */
#include "kc-plan.h"

#include "kc-json.h"

struct _KcPlan
{
  GObject parent_instance;

  gint64 id;
  gint64 version;
  gint64 total;
  int year;
  int project_count;
  char *scope;
  char *org_name;
  char *title;
  char *status;
  char *deadline;
};

G_DEFINE_TYPE (KcPlan, kc_plan, G_TYPE_OBJECT)

KcPlan *
kc_plan_new_from_json (JsonObject *object)
{
  KcPlan *self = g_object_new (KC_TYPE_PLAN, NULL);

  self->id = kc_json_int (object, "id");
  self->version = kc_json_int (object, "version");
  self->total = kc_json_int (object, "total");
  self->year = (int)kc_json_int (object, "year");
  self->project_count = (int)kc_json_int (object, "project_count");
  self->scope = g_strdup (kc_json_string (object, "scope"));
  self->org_name = g_strdup (kc_json_string (object, "org_name"));
  self->title = g_strdup (kc_json_string (object, "title"));
  self->status = g_strdup (kc_json_string (object, "status"));
  self->deadline = g_strdup (kc_json_string (object, "deadline"));
  return self;
}

gint64
kc_plan_get_id (KcPlan *self)
{
  return self->id;
}

gint64
kc_plan_get_version (KcPlan *self)
{
  return self->version;
}

int
kc_plan_get_year (KcPlan *self)
{
  return self->year;
}

int
kc_plan_get_project_count (KcPlan *self)
{
  return self->project_count;
}

gint64
kc_plan_get_total (KcPlan *self)
{
  return self->total;
}

const char *
kc_plan_get_scope (KcPlan *self)
{
  return self->scope;
}

const char *
kc_plan_get_org_name (KcPlan *self)
{
  return self->org_name;
}

const char *
kc_plan_get_title (KcPlan *self)
{
  return self->title;
}

const char *
kc_plan_get_status (KcPlan *self)
{
  return self->status;
}

const char *
kc_plan_get_deadline (KcPlan *self)
{
  return self->deadline;
}

/* GObject overrides */

static void
kc_plan_finalize (GObject *object)
{
  KcPlan *self = KC_PLAN (object);

  g_free (self->scope);
  g_free (self->org_name);
  g_free (self->title);
  g_free (self->status);
  g_free (self->deadline);
  G_OBJECT_CLASS (kc_plan_parent_class)->finalize (object);
}

static void
kc_plan_class_init (KcPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_plan_finalize;
}

static void
kc_plan_init (KcPlan *self)
{
}
