/*
 * srv-handler-programme.c — programmes and their reports (issue 5):
 * programme.list/get/create/update/set_targets/approve, the provinces'
 * comments on a draft national programme (programme.comment/comments,
 * sql/0041), the reports
 * report.programme, report.province (+ report.province_send),
 * report.registration_list and report.cost_estimate, and
 * project.set_cost_items (the items report.cost_estimate prints), with
 * their table.
 *
 * As for plan.* (srv-handler-plan.c): parameters are validated here, the
 * rest is one call of a function of sql/0019_programmes.sql or
 * sql/0020_programme_reports.sql, which checks scope (1004), the caller's
 * role for the record (1003: who keeps a national or a local programme is
 * decided by the record, not by the method), version (1009) and status
 * (1010) before it writes, and audits the write. Every report returns the
 * shape of srv-export.h, so report.export can render it.
 */
#include "srv-handlers.h"

static const SrvQueryDef q_list
    = { "programme_list", SRV_OUTCOME "kc_programme_list" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_get
    = { "programme_get", SRV_OUTCOME "kc_programme_get" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_create
    = { "programme_create", SRV_OUTCOME "kc_programme_create" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_update
    = { "programme_update", SRV_OUTCOME "kc_programme_update" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_set_targets
    = { "programme_set_targets", SRV_OUTCOME "kc_programme_set_targets" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_approve
    = { "programme_approve", SRV_OUTCOME "kc_programme_approve" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_comment
    = { "programme_comment", SRV_OUTCOME "kc_programme_comment" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_comments
    = { "programme_comments", SRV_OUTCOME "kc_programme_comments" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_report_programme
    = { "report_programme", SRV_OUTCOME "kc_report_programme" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_report_province
    = { "report_province", SRV_OUTCOME "kc_report_province" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_report_province_send
    = { "report_province_send", SRV_OUTCOME "kc_report_province_send" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_report_registration_list
    = { "report_registration_list", SRV_OUTCOME "kc_report_registration_list" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_report_cost_estimate
    = { "report_cost_estimate", SRV_OUTCOME "kc_report_cost_estimate" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_set_cost_items
    = { "project_set_cost_items", SRV_OUTCOME "kc_project_set_cost_items" SRV_ACTOR_ARGS, 6 };

#define AMOUNT_MAX ((gint64)1000000000000000) /* 10^15 đồng */
#define QUANTITY_MAX ((gint64)1000000000000)

static const char *const scopes[] = { "national", "local", NULL };
static const char *const statuses[] = { "draft", "approved", NULL };
static const char *const confidences[] = { "C", "P", "U", NULL };
static const char *const periods[] = { "q1", "q2", "q3", "q4", "h1", "year", NULL };

/* "KCQG-2021-2025": the code of a programme_periods row. */
static void
period_code (SrvParams *p, gboolean required)
{
  const char *s = srv_params_string (p, "period", required, 14, 14);

  if (s != NULL && !g_regex_match_simple ("^KCQG-[0-9]{4}-[0-9]{4}$", s, 0, 0))
    srv_params_error (p, "period", "must be a programme period code such as KCQG-2021-2025");
}

static void
id_version (SrvParams *p)
{
  gint64 v = 0;

  srv_params_int64 (p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (p, "version", TRUE, 1, G_MAXINT32, &v);
}

/* programme.list {period?, scope?, org_id?, status?, limit?, cursor?} */
static void
srv_handle_programme_list (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  const char *cursor;
  SrvParams p;

  srv_params_init (&p, call);
  period_code (&p, FALSE);
  srv_params_enum (&p, "scope", FALSE, scopes);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_enum (&p, "status", FALSE, statuses);
  srv_params_page (&p, &v, &cursor);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_list, FALSE);
}

/* programme.get {id} */
static void
srv_handle_programme_get (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_get, FALSE);
}

/* programme.create {period, scope, org_id?, title?, note?} */
static void
srv_handle_programme_create (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  period_code (&p, TRUE);
  srv_params_enum (&p, "scope", TRUE, scopes);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_string (&p, "title", FALSE, 1, 500);
  srv_params_text (&p, "note", FALSE, 0, 20000);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_create, TRUE);
}

/* programme.update {id, version, title?, note?, decision_no?, decision_date?,
 * issuer?, confidence?, source_ref?, decision?} */
static void
srv_handle_programme_update (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_string (&p, "title", FALSE, 1, 500);
  srv_plan_opt_string (&p, "note", 20000, TRUE);
  srv_plan_opt_string (&p, "decision_no", 100, FALSE);
  if (srv_params_is_null (&p, "decision_date"))
    srv_params_error (&p, "decision_date", "must be a date as YYYY-MM-DD");
  else
    srv_params_date (&p, "decision_date", FALSE);
  srv_plan_opt_string (&p, "issuer", 300, FALSE);
  srv_params_enum (&p, "confidence", FALSE, confidences);
  srv_plan_opt_string (&p, "source_ref", 1000, FALSE);
  srv_params_decision (&p); /* required once approved: sql/0029 */
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_update, TRUE);
}

/* programme.set_targets {id, version, targets?, budget?, decision?} */
static void
srv_handle_programme_set_targets (SrvCall *call, SrvDbConn *db)
{
  static const SrvItemField target_fields[] = {
    { "indicator", SRV_ITEM_STRING, TRUE, 10, NULL },
    { "target", SRV_ITEM_INT, TRUE, QUANTITY_MAX, NULL },
    { "province_id", SRV_ITEM_INT, FALSE, G_MAXINT64, NULL },
    { "confidence", SRV_ITEM_ENUM, FALSE, 1, confidences },
    { "source_ref", SRV_ITEM_STRING, FALSE, 1000, NULL },
    { "note", SRV_ITEM_TEXT, FALSE, 2000, NULL },
    { NULL, 0, FALSE, 0, NULL },
  };
  static const char *const sources[] = { "central", "local", "counterpart", "other", NULL };
  static const SrvItemField budget_fields[] = {
    { "source", SRV_ITEM_ENUM, TRUE, 32, sources },
    { "amount", SRV_ITEM_INT, TRUE, AMOUNT_MAX, NULL },
    /* the envelope's year, within the period (sql/0041); none: the period's */
    { "year", SRV_ITEM_INT, FALSE, 2100, NULL },
    { "province_id", SRV_ITEM_INT, FALSE, G_MAXINT64, NULL },
    { "confidence", SRV_ITEM_ENUM, FALSE, 1, confidences },
    { "source_ref", SRV_ITEM_STRING, FALSE, 1000, NULL },
    { "note", SRV_ITEM_TEXT, FALSE, 2000, NULL },
    { NULL, 0, FALSE, 0, NULL },
  };
  SrvParams p;
  gboolean any;

  srv_params_init (&p, call);
  id_version (&p);
  any = srv_plan_check_list (&p, "targets", target_fields, FALSE);
  any = srv_plan_check_list (&p, "budget", budget_fields, FALSE) || any;
  if (!any)
    srv_params_error (&p, "targets", "targets or budget (or both) are required");
  srv_params_decision (&p); /* required once approved: sql/0029 */
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_set_targets, TRUE);
}

/* programme.approve {id, version, decision_no, decision_date, issuer?} */
static void
srv_handle_programme_approve (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_string (&p, "decision_no", TRUE, 1, 100);
  srv_params_date (&p, "decision_date", TRUE);
  srv_params_string (&p, "issuer", FALSE, 1, 300);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_approve, TRUE);
}

/* programme.comment {programme_id, text}: a province's comment on the
 * draft national programme (sql/0041) */
static void
srv_handle_programme_comment (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "programme_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_text (&p, "text", TRUE, 1, 20000);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_comment, TRUE);
}

/* programme.comments {programme_id, org_id?, limit?, cursor?} */
static void
srv_handle_programme_comments (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  const char *cursor;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "programme_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_page (&p, &v, &cursor);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_comments, FALSE);
}

/* report.programme {programme_id} | {period, scope?, province_id?} */
static void
srv_handle_report_programme (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  gboolean by_id;
  SrvParams p;

  srv_params_init (&p, call);
  by_id = srv_params_int64 (&p, "programme_id", FALSE, 1, G_MAXINT64, &v);
  period_code (&p, FALSE);
  srv_params_enum (&p, "scope", FALSE, scopes);
  srv_params_int64 (&p, "province_id", FALSE, 1, G_MAXINT64, &v);
  if (by_id == json_object_has_member (call->params, "period"))
    srv_params_error (&p, "programme_id", "give programme_id or period, not both");
  else if (by_id && json_object_has_member (call->params, "scope"))
    srv_params_error (&p, "scope", "goes with period");
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_programme, FALSE);
}

static void
org_year_period (SrvParams *p)
{
  gint64 v = 0;

  srv_params_int64 (p, "org_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (p, "year", TRUE, 2014, 2100, &v);
  srv_params_enum (p, "period", TRUE, periods);
}

/* report.province {org_id, year, period} */
static void
srv_handle_report_province (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  org_year_period (&p);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_province, FALSE);
}

/* report.province_send {org_id, year, period, document_no?, note?} */
static void
srv_handle_report_province_send (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  org_year_period (&p);
  srv_params_string (&p, "document_no", FALSE, 1, 100);
  srv_params_text (&p, "note", FALSE, 0, 20000);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_province_send, TRUE);
}

/* report.registration_list {year, org_id?} */
static void
srv_handle_report_registration_list (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "year", TRUE, 2014, 2100, &v);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_registration_list, FALSE);
}

/* report.cost_estimate {project_id} */
static void
srv_handle_report_cost_estimate (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_cost_estimate, FALSE);
}

/* project.set_cost_items {id, version, items: [{item, unit?, quantity?,
 * unit_price?, central?, local?, counterpart?, other?, management?}]} */
static void
srv_handle_project_set_cost_items (SrvCall *call, SrvDbConn *db)
{
  static const SrvItemField fields[] = {
    { "item", SRV_ITEM_STRING, TRUE, 500, NULL },
    { "unit", SRV_ITEM_STRING, FALSE, 100, NULL },
    { "quantity", SRV_ITEM_INT, FALSE, QUANTITY_MAX, NULL },
    { "unit_price", SRV_ITEM_INT, FALSE, AMOUNT_MAX, NULL },
    { "central", SRV_ITEM_INT, FALSE, AMOUNT_MAX, NULL },
    { "local", SRV_ITEM_INT, FALSE, AMOUNT_MAX, NULL },
    { "counterpart", SRV_ITEM_INT, FALSE, AMOUNT_MAX, NULL },
    { "other", SRV_ITEM_INT, FALSE, AMOUNT_MAX, NULL },
    /* the implementer's management cost, within C24 (sql/0031) */
    { "management", SRV_ITEM_BOOL, FALSE, 0, NULL },
    { NULL, 0, FALSE, 0, NULL },
  };
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  if (!srv_plan_check_list (&p, "items", fields, FALSE))
    srv_params_error (&p, "items", "is required (a list, possibly empty)");
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_set_cost_items, TRUE);
}

#define ALL SRV_ROLES_ALL
#define PROVINCE SRV_ROLES_PROVINCE
#define LEADER SRV_ROLE_PROVINCE_LEADER
#define APPROVER SRV_ROLE_MINISTRY_APPROVER
#define MINISTRY SRV_ROLES_MINISTRY
#define READERS (SRV_ROLES_MINISTRY | SRV_ROLES_PROVINCE | SRV_ROLE_VIEWER)

/* Programme writes: the province's users (their local programme) and the
 * Ministry's approver and admin (the national one, a catalogue-like record),
 * its reviewer while the national one is a draft (sql/0048: the reviewer
 * prepares, the approver approves); the SQL refuses the other kind with 1003. Approval: the
 * province leader (local) or the approver (national), never admin. Reports: every role but admin,
 * as budget.summary; programmes themselves every role. */
const SrvMethod srv_programme_methods[] = {
  { "programme.list", srv_handle_programme_list, ALL, 0 },
  { "programme.get", srv_handle_programme_get, ALL, 0 },
  { "programme.create", srv_handle_programme_create, PROVINCE | MINISTRY | SRV_ROLE_ADMIN,
    SRV_METHOD_WRITE },
  { "programme.update", srv_handle_programme_update, PROVINCE | MINISTRY | SRV_ROLE_ADMIN,
    SRV_METHOD_WRITE },
  { "programme.set_targets", srv_handle_programme_set_targets, PROVINCE | MINISTRY | SRV_ROLE_ADMIN,
    SRV_METHOD_WRITE },
  { "programme.approve", srv_handle_programme_approve, LEADER | APPROVER, SRV_METHOD_WRITE },
  { "programme.comment", srv_handle_programme_comment, PROVINCE, SRV_METHOD_WRITE },
  { "programme.comments", srv_handle_programme_comments, ALL, 0 },
  { "report.programme", srv_handle_report_programme, ALL, 0 },
  { "report.province", srv_handle_report_province, READERS, 0 },
  { "report.province_send", srv_handle_report_province_send, LEADER, SRV_METHOD_WRITE },
  { "report.registration_list", srv_handle_report_registration_list, READERS, 0 },
  { "report.cost_estimate", srv_handle_report_cost_estimate, READERS, 0 },
  { "project.set_cost_items", srv_handle_project_set_cost_items, PROVINCE, SRV_METHOD_WRITE },
  { NULL, NULL, 0, 0 },
};
