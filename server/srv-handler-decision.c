/*
 * srv-handler-decision.c — the Minister's decision approving the year's
 * national plan and its amending decisions (decision.approve_plan,
 * decision.amend, decision.list, decision.get), and settlement with
 * carry-over (budget.settle, budget.carry_over, budget.settlement), with
 * their table (issue 4).
 *
 * As for budget.* (srv-handler-budget.c): parameters are validated here,
 * the rest is one call of a function of sql/0012_decisions_settlement.sql,
 * which checks scope (1004), version (1009), status (1010) and rules
 * (1022) before it writes, and audits the write.
 */
#include "srv-handlers.h"

static const SrvQueryDef q_approve_plan
    = { "decision_approve_plan", SRV_OUTCOME "kc_decision_approve_plan" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_amend
    = { "decision_amend", SRV_OUTCOME "kc_decision_amend" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_list
    = { "decision_list", SRV_OUTCOME "kc_decision_list" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_get = { "decision_get", SRV_OUTCOME "kc_decision_get" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_settle
    = { "budget_settle", SRV_OUTCOME "kc_budget_settle" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_carry_over
    = { "budget_carry_over", SRV_OUTCOME "kc_budget_carry_over" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_recover
    = { "budget_recover", SRV_OUTCOME "kc_budget_recover" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_settlement
    = { "budget_settlement", SRV_OUTCOME "kc_budget_settlement" SRV_READ_ARGS, 2 };

#define AMOUNT_MAX ((gint64)1000000000000000) /* 10^15 đồng */

static const char *const actions[] = { "add", "extend", "cancel", NULL };
static const char *const sources[] = { "central", "local", "counterpart", "other", NULL };

static const SrvItemField item_fields[] = {
  { "project_id", SRV_ITEM_INT, TRUE, G_MAXINT64, NULL },
  { "action", SRV_ITEM_ENUM, TRUE, 32, actions },
  { NULL, 0, FALSE, 0, NULL },
};

static const SrvItemField amount_fields[] = {
  { "source", SRV_ITEM_ENUM, TRUE, 32, sources },
  { "amount", SRV_ITEM_INT, TRUE, AMOUNT_MAX, NULL },
  { NULL, 0, FALSE, 0, NULL },
};

/* A required non-empty list of at most 1000 items (objects of @fields, or
 * positive integers when @fields is NULL). */
static void
check_required_list (SrvParams *p, const char *name, const SrvItemField *fields)
{
  JsonNode *node = json_object_get_member (p->call->params, name);
  JsonArray *a;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (json_node_get_array (node)) == 0)
    {
      g_hash_table_add (p->seen, (gpointer)name);
      srv_params_error (p, name, "must be a non-empty list");
      return;
    }
  if (fields != NULL)
    {
      srv_plan_check_list (p, name, fields, FALSE);
      return;
    }
  g_hash_table_add (p->seen, (gpointer)name);
  a = json_node_get_array (node);
  if (json_array_get_length (a) > 1000)
    {
      srv_params_error (p, name, "must have at most 1000 items");
      return;
    }
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *item = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_INT64
          || json_node_get_int (item) < 1)
        {
          g_autofree char *where = g_strdup_printf ("%s[%u]", name, i);
          srv_params_error (p, where, "must be a project id (a positive integer)");
        }
    }
}

/* decision.approve_plan {year, number, signed_on, signer, project_ids, note?} */
static void
srv_handle_decision_approve_plan (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "year", TRUE, 2014, 2100, &v);
  srv_params_string (&p, "number", TRUE, 1, 100);
  srv_params_date (&p, "signed_on", TRUE);
  srv_params_string (&p, "signer", TRUE, 1, 300);
  srv_params_text (&p, "note", FALSE, 0, 20000);
  check_required_list (&p, "project_ids", NULL);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_approve_plan, TRUE);
}

/* decision.amend {amends_id, number, signed_on, signer, items, note?} */
static void
srv_handle_decision_amend (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "amends_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_string (&p, "number", TRUE, 1, 100);
  srv_params_date (&p, "signed_on", TRUE);
  srv_params_string (&p, "signer", TRUE, 1, 300);
  srv_params_text (&p, "note", FALSE, 0, 20000);
  check_required_list (&p, "items", item_fields);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_amend, TRUE);
}

/* decision.list {year} */
static void
srv_handle_decision_list (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "year", TRUE, 2014, 2100, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_list, FALSE);
}

/* decision.get {id} */
static void
srv_handle_decision_get (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_get, FALSE);
}

/* budget.settle {project_id, version, settled_on, record_no, amounts} */
static void
srv_handle_budget_settle (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  gboolean partial = FALSE;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  srv_params_date (&p, "settled_on", TRUE);
  srv_params_string (&p, "record_no", TRUE, 1, 100);
  check_required_list (&p, "amounts", amount_fields);
  /* step 24, force majeure (sql/0025): a running project on its volume done */
  srv_params_bool (&p, "partial", FALSE, &partial);
  srv_params_text (&p, "reason", FALSE, 1, 20000);
  srv_params_date (&p, "volume_accepted_on", FALSE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_settle, TRUE);
}

/* budget.submit_settlement {project_id, version, submitted_on, record_no}:
 * the implementer's settlement dossier (step 22, sql/0025). */
static const SrvQueryDef q_submit_settlement
    = { "budget_submit_settlement",
        "SELECT r->'error'->>'code', r->'error'->>'message', (r->'error'->'data')::text, "
        "(r->'result')::text FROM kc_budget_submit_settlement($1::bigint, $2, $3, $4, $5::bigint, "
        "$6::jsonb) AS r",
        6 };

static void
srv_handle_budget_submit_settlement (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  srv_params_date (&p, "submitted_on", TRUE);
  srv_params_string (&p, "record_no", TRUE, 1, 100);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_submit_settlement, TRUE);
}

/* budget.carry_over {project_id, to_year, amount} */
static void
srv_handle_budget_carry_over (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "to_year", TRUE, 2014, 2100, &v);
  srv_params_int64 (&p, "amount", TRUE, 1, AMOUNT_MAX, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_carry_over, TRUE);
}

/* budget.recover {project_id, amount, date, document_no} */
static void
srv_handle_budget_recover (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "amount", TRUE, 1, AMOUNT_MAX, &v);
  srv_params_date (&p, "date", TRUE);
  srv_params_string (&p, "document_no", TRUE, 1, 100);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_recover, TRUE);
}

/* budget.settlement {project_id} */
static void
srv_handle_budget_settlement (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_settlement, FALSE);
}

#define APPROVER SRV_ROLE_MINISTRY_APPROVER
#define READERS (SRV_ROLES_MINISTRY | SRV_ROLES_PROVINCE | SRV_ROLE_VIEWER)
/* settle and recover: the province leader for its local projects (sql/0025) */
#define WRITERS (SRV_ROLE_MINISTRY_APPROVER | SRV_ROLE_PROVINCE_LEADER)

/* Writes: ministry_approver only (the Minister's side, never admin); reads:
 * every role but admin, a province's users seeing their own projects. */
const SrvMethod srv_decision_methods[] = {
  { "decision.approve_plan", srv_handle_decision_approve_plan, APPROVER, SRV_METHOD_WRITE },
  { "decision.amend", srv_handle_decision_amend, APPROVER, SRV_METHOD_WRITE },
  { "decision.list", srv_handle_decision_list, READERS, 0 },
  { "decision.get", srv_handle_decision_get, READERS, 0 },
  { "budget.settle", srv_handle_budget_settle, WRITERS, SRV_METHOD_WRITE },
  { "budget.submit_settlement", srv_handle_budget_submit_settlement, SRV_ROLES_PROVINCE,
    SRV_METHOD_WRITE },
  { "budget.carry_over", srv_handle_budget_carry_over, APPROVER, SRV_METHOD_WRITE },
  { "budget.recover", srv_handle_budget_recover, WRITERS, SRV_METHOD_WRITE },
  { "budget.settlement", srv_handle_budget_settlement, READERS, 0 },
  { NULL, NULL, 0, 0 },
};
