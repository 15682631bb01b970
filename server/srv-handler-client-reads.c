/*
 * srv-handler-client-reads.c — small reads the desktop client needs:
 * user.reviewers (the Ministry picks a reviewer by name; user.list stays
 * admin-only), budget.project (one project's money after approval) and
 * catalog.communes (the communes the province's projects already name, to
 * offer while typing one: there is no commune catalogue; issue 17).
 *
 * Both only read tables the other families write, so they need no function
 * of their own in sql/: the statement is here, and budget.project checks
 * scope with kc_plan_visible as every project read does (1004 otherwise).
 */
#include "srv-handlers.h"

/* Active accounts that review.assign accepts (sql/0010_review.sql), so every
 * name offered can be chosen. */
static const SrvQueryDef q_reviewers = {
  "user_reviewers",
  "SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object("
  "  'id', u.id, 'username', u.username, 'full_name', u.full_name, 'role', u.role,"
  "  'org_id', u.org_id) ORDER BY kc_fold(u.full_name), u.full_name, u.id), '[]'::jsonb))::text"
  " FROM users u WHERE u.disabled_at IS NULL"
  " AND u.role IN ('ministry_reviewer', 'ministry_approver')",
  0
};

/* $1 the caller's scope root (NULL: the Ministry), $2 the params. */
static const SrvQueryDef q_project_money = {
  "budget_project",
  SRV_OUTCOME
  "(SELECT coalesce((SELECT jsonb_build_object('result', jsonb_build_object("
  "  'project_id', pr.id, 'status', pr.status,"
  "  'totals', kc_project_money(pr.id),"
  "  'allocations', coalesce((SELECT jsonb_agg(jsonb_build_object('id', a.id, 'year', a.year,"
  "      'source', a.source, 'amount', a.amount, 'allocated_at', kc_instant(a.allocated_at))"
  "      ORDER BY a.id) FROM allocations a WHERE a.project_id = pr.id), '[]'::jsonb),"
  "  'contracts', coalesce((SELECT jsonb_agg(jsonb_build_object('id', c.id, 'number', c.number,"
  "      'signed_on', c.signed_on, 'party_a', c.party_a, 'party_b', c.party_b,"
  "      'amount', c.amount) ORDER BY c.id) FROM contracts c WHERE c.project_id = pr.id),"
  "      '[]'::jsonb),"
  "  'disbursements', coalesce((SELECT jsonb_agg(jsonb_build_object('id', d.id, 'kind', d.kind,"
  "      'amount', d.amount, 'paid_on', d.paid_on, 'document_no', d.document_no)"
  "      ORDER BY d.paid_on, d.id) FROM disbursements d WHERE d.project_id = pr.id), '[]'::jsonb),"
  "  'decisions', coalesce((SELECT jsonb_agg(jsonb_build_object('id', pd.id, 'year', pd.year,"
  "      'number', pd.number, 'signed_on', pd.signed_on, 'signer', pd.signer, 'kind', pd.kind,"
  "      'action', i.action) ORDER BY pd.signed_on, pd.id)"
  "      FROM plan_decision_items i JOIN plan_decisions pd ON pd.id = i.decision_id"
  "      WHERE i.project_id = pr.id), '[]'::jsonb)))"
  " FROM projects pr JOIN plans pl ON pl.id = pr.plan_id"
  " WHERE pr.id = ($2::jsonb->>'project_id')::bigint"
  " AND kc_plan_visible(pl.org_id, pl.scope, pl.status, $1::bigint)),"
  " kc_err(1004, 'no such project')) AS r) AS o",
  2
};

/* $1 the caller's scope root (a province: the method is the province's),
 * $2 the text typed or NULL. The communes named in the locations of the
 * projects the caller may read, each once (trimmed), by name with diacritics
 * folded; with $2, those whose folded name holds the folded text. */
static const SrvQueryDef q_communes = {
  "catalog_communes",
  "WITH mine AS MATERIALIZED (SELECT pl.id FROM plans pl"
  "  WHERE $1::bigint IS NOT NULL AND kc_plan_visible(pl.org_id, pl.scope, pl.status, $1::bigint)),"
  " names AS (SELECT DISTINCT btrim(l->>'commune') AS name"
  "  FROM mine JOIN projects pr ON pr.plan_id = mine.id"
  "  CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(pr.locations)"
  "    WHEN 'array' THEN pr.locations ELSE '[]'::jsonb END) l"
  "  WHERE jsonb_typeof(l) = 'object' AND coalesce(btrim(l->>'commune'), '') <> '')"
  " SELECT jsonb_build_object('items', coalesce(jsonb_agg(n.name ORDER BY kc_fold(n.name), n.name),"
  "   '[]'::jsonb))::text"
  " FROM (SELECT name FROM names"
  "  WHERE $2::text IS NULL OR kc_fold(name) LIKE '%' || kc_like_escape(kc_fold($2::text)) || '%'"
  "  ORDER BY kc_fold(name), name LIMIT 500) n",
  2
};

/* user.reviewers {} */
static void
srv_handle_user_reviewers (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  gboolean found = FALSE;
  SrvParams p;

  srv_params_init (&p, call);
  if (!srv_params_finish (&p))
    return;
  json = srv_db_exec_def_json (db, &q_reviewers, NULL, &found, &error);
  if (json == NULL)
    srv_call_set_db_error (call, error);
  else
    srv_call_set_result (call, g_steal_pointer (&json));
}

/* budget.project {project_id} */
static void
srv_handle_budget_project (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_project_money, FALSE);
}

/* catalog.communes {q?} */
static void
srv_handle_catalog_communes (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *scope = NULL;
  gboolean found = FALSE;
  const char *q;
  SrvParams p;

  srv_params_init (&p, call);
  q = srv_params_string (&p, "q", FALSE, 0, 100);
  if (!srv_params_finish (&p))
    return;
  if (call->session->scope_root > 0)
    scope = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->scope_root);
  {
    const char *params[] = { scope, q != NULL && q[0] != '\0' ? q : NULL };

    json = srv_db_exec_def_json (db, &q_communes, params, &found, &error);
  }
  if (json == NULL)
    srv_call_set_db_error (call, error);
  else
    srv_call_set_result (call, g_steal_pointer (&json));
}

const SrvMethod srv_client_read_methods[] = {
  { "user.reviewers", srv_handle_user_reviewers, SRV_ROLES_MINISTRY, 0 },
  { "budget.project", srv_handle_budget_project,
    SRV_ROLES_MINISTRY | SRV_ROLES_PROVINCE | SRV_ROLE_VIEWER, 0 },
  { "catalog.communes", srv_handle_catalog_communes, SRV_ROLES_PROVINCE, 0 },
  { NULL, NULL, 0, 0 },
};
