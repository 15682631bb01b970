/*
 * srv-handler-project.c — the project.* methods (issue 3), with their table.
 *
 * As for plan.* (srv-handler-plan.c): parameters are validated here, the
 * rest is one call of a function of sql/0005_plans_projects.sql, with the
 * rules and project.copy of sql/0006_project_rules.sql.
 */
#include "srv-handlers.h"

static const SrvQueryDef q_create
    = { "project_create", SRV_OUTCOME "kc_project_create" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_get
    = { "project_get", SRV_OUTCOME "kc_project_get($1::bigint, $2::jsonb) AS r", 2 };
static const SrvQueryDef q_list
    = { "project_list", SRV_OUTCOME "kc_project_list($1::bigint, $2::jsonb) AS r", 2 };
static const SrvQueryDef q_update
    = { "project_update", SRV_OUTCOME "kc_project_update" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_delete
    = { "project_delete", SRV_OUTCOME "kc_project_delete" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_check
    = { "project_check", SRV_OUTCOME "kc_project_check_rpc($1::bigint, $2::jsonb) AS r", 2 };
static const SrvQueryDef q_copy
    = { "project_copy", SRV_OUTCOME "kc_project_copy" SRV_ACTOR_ARGS, 6 };

#define MONEY_MAX ((gint64)1000000000000000) /* 10^15 đồng */

static const char *const statuses[]
    = { "draft",     "submitted", "revision_requested", "approved", "rejected", "in_progress",
        "completed", "settled",   "cancelled",          NULL };
static const char *const beneficiary_kinds[]
    = { "enterprise", "cooperative", "cooperative_group", "household_business", NULL };
static const char *const procurements[] = { "selection", "bidding", NULL };

static const SrvItemField budget_line[] = {
  { "source", SRV_ITEM_STRING, TRUE, 32, NULL },
  { "amount", SRV_ITEM_INT, TRUE, MONEY_MAX, NULL },
  { NULL, 0, FALSE, 0, NULL },
};
static const SrvItemField indicator[] = {
  { "code", SRV_ITEM_STRING, TRUE, 32, NULL },
  { "target", SRV_ITEM_INT, TRUE, MONEY_MAX, NULL },
  { NULL, 0, FALSE, 0, NULL },
};
static const SrvItemField beneficiary[] = {
  { "name", SRV_ITEM_STRING, TRUE, 300, NULL },
  { "kind", SRV_ITEM_ENUM, TRUE, 64, beneficiary_kinds },
  { "tax_code", SRV_ITEM_STRING, FALSE, 20, NULL },
  { "commune", SRV_ITEM_STRING, FALSE, 200, NULL },
  { "province_org_id", SRV_ITEM_INT, FALSE, G_MAXINT64, NULL },
  { NULL, 0, FALSE, 0, NULL },
};
static const SrvItemField partner[] = {
  { "name", SRV_ITEM_STRING, TRUE, 300, NULL },
  { "role", SRV_ITEM_STRING, FALSE, 300, NULL },
  { NULL, 0, FALSE, 0, NULL },
};
static const SrvItemField location[] = {
  { "commune", SRV_ITEM_STRING, FALSE, 200, NULL },
  { "province_org_id", SRV_ITEM_INT, FALSE, G_MAXINT64, NULL },
  { "address", SRV_ITEM_STRING, FALSE, 500, NULL },
  { NULL, 0, FALSE, 0, NULL },
};
static const SrvItemField work_item[] = {
  { "task", SRV_ITEM_TEXT, TRUE, 2000, NULL },
  { "from", SRV_ITEM_DATE, FALSE, 10, NULL },
  { "to", SRV_ITEM_DATE, FALSE, 10, NULL },
  { "who", SRV_ITEM_STRING, FALSE, 300, NULL },
  { NULL, 0, FALSE, 0, NULL },
};

/* The dossier (TT 36/2013 Art. 5) and its lists, common to create and
 * update; on update nothing is required and null clears an optional
 * member. */
void
srv_project_dossier_params (SrvParams *p, gboolean creating)
{
  static const char *const flags[] = { "export",
                                       "local_materials",
                                       "labour_intensive",
                                       "supporting_industry",
                                       "typical_product",
                                       "no_double_funding",
                                       NULL };
  static const char *const texts[]
      = { "rationale",      "legal_basis", "objectives", "scale_and_novelty",
          "implementation", "impact",      NULL };
  gboolean b;

  static const char *const lists[]
      = { "content_categories", "budget_lines", "indicators", "beneficiaries",
          "partners",           "locations",    "work_items", NULL };

  srv_params_string (p, "title", creating, 1, 500);
  srv_params_string (p, "content_category", creating, 1, 64);
  /* A list is emptied with []; null is a wrong type (it used to reach the
   * database and come back as a constraint error). */
  for (int i = 0; lists[i] != NULL; i++)
    if (srv_params_is_null (p, lists[i]))
      srv_params_error (p, lists[i], "must be a list");
  srv_plan_check_list (p, "content_categories", NULL, TRUE);
  /* the priority sectors as catalogue codes (sql/0025); the booleans below
   * are the older shape of the same list */
  if (srv_params_is_null (p, "priorities"))
    srv_params_error (p, "priorities", "must be a list");
  srv_plan_check_list (p, "priorities", NULL, TRUE);
  srv_plan_check_list (p, "budget_lines", budget_line, FALSE);
  srv_plan_check_list (p, "indicators", indicator, FALSE);
  srv_plan_check_list (p, "beneficiaries", beneficiary, FALSE);
  srv_plan_check_list (p, "partners", partner, FALSE);
  srv_plan_check_list (p, "locations", location, FALSE);
  srv_plan_check_list (p, "work_items", work_item, FALSE);
  srv_params_string (p, "kind", FALSE, 1, 32);
  srv_params_enum (p, "procurement", FALSE, procurements);
  srv_plan_opt_string (p, "implementer", 500, FALSE);
  for (gsize i = 0; texts[i] != NULL; i++)
    srv_plan_opt_string (p, texts[i], 20000, TRUE);
  if (!srv_params_is_null (p, "sector"))
    srv_params_string (p, "sector", FALSE, 1, 32);
  g_hash_table_add (p->seen, (gpointer) "sector");
  if (!srv_params_is_null (p, "priority_area"))
    srv_params_string (p, "priority_area", FALSE, 1, 8);
  g_hash_table_add (p->seen, (gpointer) "priority_area");
  for (gsize i = 0; flags[i] != NULL; i++)
    srv_params_bool (p, flags[i], FALSE, &b);
  if (!srv_params_is_null (p, "start_date"))
    srv_params_date (p, "start_date", FALSE);
  g_hash_table_add (p->seen, (gpointer) "start_date");
  if (!srv_params_is_null (p, "end_date"))
    srv_params_date (p, "end_date", FALSE);
  g_hash_table_add (p->seen, (gpointer) "end_date");
  /* the rules (0006): the support cap chosen, the declared total cost */
  if (!srv_params_is_null (p, "cap_code"))
    srv_params_string (p, "cap_code", FALSE, 1, 8);
  g_hash_table_add (p->seen, (gpointer) "cap_code");
  if (!srv_params_is_null (p, "total_cost"))
    {
      gint64 v = 0;
      srv_params_int64 (p, "total_cost", FALSE, 0, MONEY_MAX, &v);
    }
  g_hash_table_add (p->seen, (gpointer) "total_cost");
}

void
srv_handle_project_create (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "plan_id", TRUE, 1, G_MAXINT64, &v);
  srv_project_dossier_params (&p, TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_create, TRUE);
}

void
srv_handle_project_get (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_get, FALSE);
}

void
srv_handle_project_list (SrvCall *call, SrvDbConn *db)
{
  static const char *const scopes[] = { "national", "local", NULL };
  gint64 v = 0;
  gboolean brief = FALSE;
  const char *cursor;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "plan_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "year", FALSE, 2014, 2100, &v);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_enum (&p, "scope", FALSE, scopes);
  srv_params_enum (&p, "status", FALSE, statuses);
  srv_params_string (&p, "stage", FALSE, 1, 64);
  srv_params_string (&p, "category", FALSE, 1, 64);
  srv_params_string (&p, "kind", FALSE, 1, 32);
  srv_params_string (&p, "priority_area", FALSE, 1, 8);
  srv_params_string (&p, "q", FALSE, 0, 200);
  srv_params_bool (&p, "brief", FALSE, &brief);
  srv_params_page (&p, &v, &cursor);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_list, FALSE);
}

void
srv_handle_project_update (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  srv_project_dossier_params (&p, FALSE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_update, TRUE);
}

void
srv_handle_project_delete (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_delete, TRUE);
}

/* project.check {id}: the rules as plan.submit will apply them, for
 * everyone who may read the project. */
void
srv_handle_project_check (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_check, FALSE);
}

/* project.copy {id, plan_id}: into a later year's draft plan. */
void
srv_handle_project_copy (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "plan_id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_copy, TRUE);
}

#define PROVINCE SRV_ROLES_PROVINCE

const SrvMethod srv_project_methods[] = {
  { "project.create", srv_handle_project_create, PROVINCE, SRV_METHOD_WRITE },
  { "project.get", srv_handle_project_get, SRV_ROLES_ALL, SRV_METHOD_MAIN_LOOP },
  { "project.list", srv_handle_project_list, SRV_ROLES_ALL, 0 },
  { "project.update", srv_handle_project_update, PROVINCE, SRV_METHOD_WRITE },
  { "project.delete", srv_handle_project_delete, PROVINCE, SRV_METHOD_WRITE },
  { "project.check", srv_handle_project_check, SRV_ROLES_ALL, 0 },
  { "project.copy", srv_handle_project_copy, PROVINCE, SRV_METHOD_WRITE },
  { NULL, NULL, 0, 0 },
};
