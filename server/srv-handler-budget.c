/*
 * srv-handler-budget.c — the budget (issue 4): budget.set_appropriation,
 * budget.allocate, budget.contract, budget.disburse and budget.summary,
 * with their table.
 *
 * As for plan.* (srv-handler-plan.c): parameters are validated here, the
 * rest is one call of a function of sql/0011_budget.sql, which checks
 * scope (1004), version (1009), status (1010) and the money rules (1022)
 * before it writes, and audits the write. The invariant "never more
 * allocated than appropriated" is enforced by the database itself (see
 * the head of sql/0011_budget.sql), so it holds across server processes.
 */
#include "srv-handlers.h"

static const SrvQueryDef q_set_appropriation
    = { "budget_set_appropriation", SRV_OUTCOME "kc_budget_set_appropriation" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_allocate
    = { "budget_allocate", SRV_OUTCOME "kc_budget_allocate" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_contract
    = { "budget_contract", SRV_OUTCOME "kc_budget_contract" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_disburse
    = { "budget_disburse", SRV_OUTCOME "kc_budget_disburse" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_summary
    = { "budget_summary", SRV_OUTCOME "kc_budget_summary" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_record_management
    = { "budget_record_management", SRV_OUTCOME "kc_budget_record_management" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_management
    = { "budget_management", SRV_OUTCOME "kc_budget_management" SRV_READ_ARGS, 2 };

#define AMOUNT_MAX ((gint64)1000000000000000) /* 10^15 đồng */

static const char *const sources[] = { "central", "local", "counterpart", "other", NULL };

/* budget.set_appropriation {year, source, amount, version?} */
static void
srv_handle_budget_set_appropriation (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "year", TRUE, 2014, 2100, &v);
  srv_params_enum (&p, "source", TRUE, sources);
  srv_params_int64 (&p, "amount", TRUE, 0, AMOUNT_MAX, &v);
  srv_params_int64 (&p, "version", FALSE, 1, G_MAXINT32, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_set_appropriation, TRUE);
}

/* budget.allocate {project_id, version, amount, source?, year?} */
static void
srv_handle_budget_allocate (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  srv_params_int64 (&p, "amount", TRUE, 1, AMOUNT_MAX, &v);
  srv_params_enum (&p, "source", FALSE, sources);
  srv_params_int64 (&p, "year", FALSE, 2014, 2100, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_allocate, TRUE);
}

/* budget.contract {project_id, version, number, signed_on, amount, party_a?, party_b?} */
static void
srv_handle_budget_contract (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  srv_params_string (&p, "number", TRUE, 1, 100);
  srv_params_date (&p, "signed_on", TRUE);
  srv_params_int64 (&p, "amount", TRUE, 1, AMOUNT_MAX, &v);
  srv_params_string (&p, "party_a", FALSE, 1, 300);
  srv_params_string (&p, "party_b", FALSE, 1, 300);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_contract, TRUE);
}

/* budget.disburse {project_id, kind?, amount, date, document_no} */
static void
srv_handle_budget_disburse (SrvCall *call, SrvDbConn *db)
{
  static const char *const kinds[] = { "advance", "final", "refund", NULL };
  static const SrvItemField certificate_fields[] = {
    { "number", SRV_ITEM_STRING, TRUE, 100, NULL },
    { "date", SRV_ITEM_DATE, TRUE, 10, NULL },
    { "issuer", SRV_ITEM_STRING, FALSE, 300, NULL },
    { NULL, 0, FALSE, 0, NULL },
  };
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_enum (&p, "kind", FALSE, kinds);
  srv_params_int64 (&p, "amount", TRUE, 1, AMOUNT_MAX, &v);
  srv_params_date (&p, "date", TRUE);
  srv_params_string (&p, "document_no", TRUE, 1, 100);
  /* a start-up's first payment: its business registration certificate
   * (sql/0031) */
  srv_plan_check_object (&p, "registration_certificate", certificate_fields);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_disburse, TRUE);
}

/* budget.summary {year} */
static void
srv_handle_budget_summary (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "year", TRUE, 2014, 2100, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_summary, FALSE);
}

/* budget.record_management {year, source?, amount, purpose, voucher_no,
 * spent_on}: the managing agency's own management spending, within the C23
 * share of the year's appropriation (sql/0040). The Ministry's approver
 * records the national funds (central), a province's leader its local funds. */
static void
srv_handle_budget_record_management (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "year", TRUE, 2014, 2100, &v);
  srv_params_enum (&p, "source", FALSE, sources);
  srv_params_int64 (&p, "amount", TRUE, 1, AMOUNT_MAX, &v);
  srv_params_string (&p, "purpose", TRUE, 1, 2000);
  srv_params_string (&p, "voucher_no", TRUE, 1, 100);
  srv_params_date (&p, "spent_on", TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_record_management, TRUE);
}

/* budget.management {year, province_id?}: the spending and its limit */
static void
srv_handle_budget_management (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "year", TRUE, 2014, 2100, &v);
  srv_params_int64 (&p, "province_id", FALSE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_management, FALSE);
}

/* The money of a local project is its province's (sql/0025): the SQL lets
 * the province leader write local projects and local appropriations only. */
#define WRITERS (SRV_ROLE_MINISTRY_APPROVER | SRV_ROLE_PROVINCE_LEADER)
#define READERS (SRV_ROLES_MINISTRY | SRV_ROLES_PROVINCE | SRV_ROLE_VIEWER)

/* Writes: the Minister's side (ministry_approver) for national money, the
 * province leader for its local money, never admin (separation of duties,
 * PROTOCOL.md "Roles"). The summary: every role but admin; a province's
 * users see their province only (in the SQL). */
const SrvMethod srv_budget_methods[] = {
  { "budget.set_appropriation", srv_handle_budget_set_appropriation, WRITERS, SRV_METHOD_WRITE },
  { "budget.allocate", srv_handle_budget_allocate, WRITERS, SRV_METHOD_WRITE },
  { "budget.contract", srv_handle_budget_contract, WRITERS, SRV_METHOD_WRITE },
  { "budget.disburse", srv_handle_budget_disburse, WRITERS, SRV_METHOD_WRITE },
  { "budget.summary", srv_handle_budget_summary, READERS, 0 },
  { "budget.record_management", srv_handle_budget_record_management, WRITERS, SRV_METHOD_WRITE },
  { "budget.management", srv_handle_budget_management, READERS, 0 },
  { NULL, NULL, 0, 0 },
};
