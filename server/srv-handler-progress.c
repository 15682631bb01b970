/*
 * srv-handler-progress.c — after approval (issue 3): progress.*,
 * project.submit_acceptance (issue 16), project.accept, adjustment.*, project.cancel and
 * typical_product.*, with their table.
 *
 * As for plan.* (srv-handler-plan.c): parameters are validated here, the
 * rest is one call of a function of sql/0008_project_progress.sql, which
 * checks scope (1004), the role the record needs (1003), version (1009),
 * status (1010) and rules (1022) before it writes, and audits the write.
 */
#include "srv-handlers.h"

static const SrvQueryDef q_report
    = { "progress_report", SRV_OUTCOME "kc_progress_report" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_confirm
    = { "progress_confirm", SRV_OUTCOME "kc_progress_confirm" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_list
    = { "progress_list", SRV_OUTCOME "kc_progress_list" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_accept
    = { "project_accept", SRV_OUTCOME "kc_project_accept" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_adj_request
    = { "adjustment_request", SRV_OUTCOME "kc_adjustment_request" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_adj_decide
    = { "adjustment_decide", SRV_OUTCOME "kc_adjustment_decide" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_adj_list
    = { "adjustment_list", SRV_OUTCOME "kc_adjustment_list" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_cancel
    = { "project_cancel", SRV_OUTCOME "kc_project_cancel" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_tp_create
    = { "typical_product_create", SRV_OUTCOME "kc_typical_product_create" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_tp_update
    = { "typical_product_update", SRV_OUTCOME "kc_typical_product_update" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_tp_list
    = { "typical_product_list", SRV_OUTCOME "kc_typical_product_list" SRV_READ_ARGS, 2 };

#define AMOUNT_MAX ((gint64)1000000000000000) /* 10^15 */

static const SrvItemField achieved[] = {
  { "code", SRV_ITEM_STRING, TRUE, 32, NULL },
  { "achieved", SRV_ITEM_INT, TRUE, AMOUNT_MAX, NULL },
  { NULL, 0, FALSE, 0, NULL },
};

static void
id_version (SrvParams *p)
{
  gint64 v = 0;

  srv_params_int64 (p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (p, "version", TRUE, 1, G_MAXINT32, &v);
}

/* A month as "YYYY-MM" (2014..2100). */
static void
month_param (SrvParams *p, const char *name)
{
  const char *s = srv_params_string (p, name, TRUE, 7, 7);

  if (s == NULL)
    return;
  if (!(g_ascii_isdigit (s[0]) && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2])
        && g_ascii_isdigit (s[3]) && s[4] == '-' && g_ascii_isdigit (s[5])
        && g_ascii_isdigit (s[6])))
    {
      srv_params_error (p, name, "must be a month as YYYY-MM");
      return;
    }
  {
    int year = (int)g_ascii_strtoll (s, NULL, 10);
    int month = (int)g_ascii_strtoll (s + 5, NULL, 10);
    if (year < 2014 || year > 2100 || month < 1 || month > 12)
      srv_params_error (p, name, "must be a month as YYYY-MM");
  }
}

/* progress.report {project_id, period, percent_done, indicators, difficulties} */
/* spent: đồng spent so far by source (sql/0037). */
static const SrvItemField spent_fields[] = {
  { "central", SRV_ITEM_INT, FALSE, AMOUNT_MAX, NULL },
  { "local", SRV_ITEM_INT, FALSE, AMOUNT_MAX, NULL },
  { "counterpart", SRV_ITEM_INT, FALSE, AMOUNT_MAX, NULL },
  { "other", SRV_ITEM_INT, FALSE, AMOUNT_MAX, NULL },
  { NULL, 0, FALSE, 0, NULL },
};

static void
srv_handle_progress_report (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  month_param (&p, "period");
  srv_params_int64 (&p, "percent_done", TRUE, 0, 100, &v);
  srv_plan_check_list (&p, "indicators", achieved, FALSE);
  srv_plan_opt_string (&p, "difficulties", 20000, TRUE);
  srv_plan_check_object (&p, "spent", spent_fields);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report, TRUE);
}

static void
srv_handle_progress_confirm (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_confirm, TRUE);
}

/* progress.return {id, version, comment}: the Department sends a report
 * back to be reported again (sql/0033). */
static const SrvQueryDef q_return
    = { "progress_return", SRV_OUTCOME "kc_progress_return" SRV_ACTOR_ARGS, 6 };

static void
srv_handle_progress_return (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_string (&p, "comment", TRUE, 1, 20000);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_return, TRUE);
}

static void
srv_handle_by_project (SrvCall *call, SrvDbConn *db, const SrvQueryDef *def)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, def, FALSE);
}

static void
srv_handle_progress_list (SrvCall *call, SrvDbConn *db)
{
  srv_handle_by_project (call, db, &q_list);
}

static void
srv_handle_adjustment_list (SrvCall *call, SrvDbConn *db)
{
  srv_handle_by_project (call, db, &q_adj_list);
}

/* project.accept {id, version, accepted_on, record_no, indicators, note} */
static void
srv_handle_project_accept (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_date (&p, "accepted_on", TRUE);
  srv_params_string (&p, "record_no", TRUE, 1, 100);
  srv_plan_check_list (&p, "indicators", achieved, FALSE);
  srv_plan_opt_string (&p, "note", 20000, TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_accept, TRUE);
}

/* project.submit_acceptance {id, version, report, indicators}: the
 * officer's acceptance dossier (sql/0043); its files are uploaded after it
 * as owner type "acceptance", owner id the project. */
static const SrvQueryDef q_submit_acceptance
    = { "project_submit_acceptance", SRV_OUTCOME "kc_project_submit_acceptance" SRV_ACTOR_ARGS, 6 };

static void
srv_handle_project_submit_acceptance (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_text (&p, "report", TRUE, 1, 20000);
  srv_plan_check_list (&p, "indicators", achieved, FALSE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_submit_acceptance, TRUE);
}

/* The changes an adjustment asks for are project.update's members and
 * go through the same validation (issue 13: they reached the database
 * unchecked); each problem is reported as changes.<field>. */
static void
check_changes (SrvParams *p, SrvCall *call, JsonObject *changes)
{
  g_autoptr (SrvCall) sub = srv_call_new (call->ctx, call->method, changes, call->session);
  SrvParams q;
  JsonArray *fields;

  srv_params_init (&q, sub);
  srv_project_dossier_params (&q, FALSE);
  if (srv_params_finish (&q) || sub->error_data == NULL
      || !JSON_NODE_HOLDS_OBJECT (sub->error_data))
    return;
  fields = json_object_get_array_member (json_node_get_object (sub->error_data), "fields");
  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      g_autofree char *name = g_strdup_printf (
          "changes.%s", json_object_get_string_member_with_default (f, "field", ""));

      srv_params_error (p, name, json_object_get_string_member_with_default (f, "message", ""));
    }
}

/* adjustment.request {project_id, type, changes: {...}, reason}: the
 * members of changes are checked against the type in the database (1022). */
static void
srv_handle_adjustment_request (SrvCall *call, SrvDbConn *db)
{
  static const char *const types[] = { "minor",
                                       "increase_support",
                                       "change_content",
                                       "extend_next_year",
                                       "change_location_beneficiary_partner",
                                       "group_change",
                                       NULL };
  JsonNode *changes;
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_enum (&p, "type", TRUE, types);
  srv_params_text (&p, "reason", TRUE, 1, 20000);
  changes = json_object_get_member (call->params, "changes");
  g_hash_table_add (p.seen, (gpointer) "changes");
  if (changes == NULL)
    srv_params_error (&p, "changes", "is required");
  else if (!JSON_NODE_HOLDS_OBJECT (changes))
    srv_params_error (&p, "changes", "must be an object");
  else
    check_changes (&p, call, json_node_get_object (changes));
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_adj_request, TRUE);
}

/* adjustment.decide {id, version, decision, comment} */
static void
srv_handle_adjustment_decide (SrvCall *call, SrvDbConn *db)
{
  static const char *const decisions[] = { "approve", "reject", NULL };
  const char *decision, *comment;
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  decision = srv_params_enum (&p, "decision", TRUE, decisions);
  comment = srv_plan_opt_string (&p, "comment", 20000, TRUE);
  if (decision != NULL && g_str_equal (decision, "reject"))
    {
      g_autofree char *copy = g_strstrip (g_strdup (comment != NULL ? comment : ""));
      if (copy[0] == '\0')
        srv_params_error (&p, "comment", "is required when an adjustment is rejected");
    }
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_adj_decide, TRUE);
}

/* project.cancel {id, version, reason, decision_no, decision_date, kind} */
static void
srv_handle_project_cancel (SrvCall *call, SrvDbConn *db)
{
  static const char *const kinds[] = { "suspension", "cancellation", NULL };
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_text (&p, "reason", TRUE, 1, 20000);
  srv_params_string (&p, "decision_no", TRUE, 1, 100);
  srv_params_date (&p, "decision_date", FALSE);
  srv_params_enum (&p, "kind", FALSE, kinds);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_cancel, TRUE);
}

/* project.fail_base_appraisal {id, version, reason}: one project of a
 * submitted plan fails the Department's base appraisal (sql/0025). */
static const SrvQueryDef q_fail_base
    = { "project_fail_base_appraisal", SRV_OUTCOME "kc_project_fail_base_appraisal" SRV_ACTOR_ARGS,
        6 };

static void
srv_handle_project_fail_base_appraisal (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_text (&p, "reason", TRUE, 1, 20000);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_fail_base, TRUE);
}

/* project.approve_implementation_plan {id, version, decision_no,
 * decision_date?, note?}: a group project's Mẫu 11 (sql/0025). */
static const SrvQueryDef q_impl_plan
    = { "project_approve_implementation_plan",
        SRV_OUTCOME "kc_project_approve_implementation_plan" SRV_ACTOR_ARGS, 6 };

static void
srv_handle_project_approve_implementation_plan (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_string (&p, "decision_no", TRUE, 1, 100);
  srv_params_date (&p, "decision_date", FALSE);
  srv_params_text (&p, "note", FALSE, 0, 20000);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_impl_plan, TRUE);
}

/* typical_product.create / update: the certificate's fields */
static void
certificate_params (SrvParams *p, gboolean creating)
{
  static const char *const levels[] = { "district", "province", "regional", "national", NULL };
  gint64 v = 0;
  gboolean b;

  srv_params_string (p, "product_name", creating, 1, 300);
  srv_params_string (p, "establishment_name", creating, 1, 300);
  srv_plan_opt_string (p, "tax_code", 20, FALSE);
  srv_params_enum (p, "level", creating, levels);
  srv_params_int64 (p, "year", creating, 2000, 2100, &v);
  srv_params_string (p, "certificate_no", creating, 1, 100);
  srv_params_int64 (p, "org_id", creating, 1, G_MAXINT64, &v);
  if (!srv_params_is_null (p, "issued_on"))
    srv_params_date (p, "issued_on", FALSE);
  g_hash_table_add (p->seen, (gpointer) "issued_on");
  if (!srv_params_is_null (p, "valid_until"))
    srv_params_date (p, "valid_until", FALSE);
  g_hash_table_add (p->seen, (gpointer) "valid_until");
  srv_params_bool (p, "revoked", FALSE, &b);
  {
    JsonNode *score = json_object_get_member (p->call->params, "score");
    g_hash_table_add (p->seen, (gpointer) "score");
    if (score != NULL && !JSON_NODE_HOLDS_NULL (score))
      {
        GType t = JSON_NODE_HOLDS_VALUE (score) ? json_node_get_value_type (score) : G_TYPE_NONE;
        double d = t == G_TYPE_INT64    ? (double)json_node_get_int (score)
                   : t == G_TYPE_DOUBLE ? json_node_get_double (score)
                                        : -1;
        if (d < 0 || d > 100)
          srv_params_error (p, "score", "must be a number between 0 and 100");
      }
  }
}

static void
srv_handle_typical_product_create (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  certificate_params (&p, TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_tp_create, TRUE);
}

static void
srv_handle_typical_product_update (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  certificate_params (&p, FALSE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_tp_update, TRUE);
}

static void
srv_handle_typical_product_list (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_string (&p, "tax_code", FALSE, 1, 20);
  srv_params_int64 (&p, "year", FALSE, 2000, 2100, &v);
  srv_params_date (&p, "valid_on", FALSE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_tp_list, FALSE);
}

#define PROVINCE SRV_ROLES_PROVINCE
#define LEADER SRV_ROLE_PROVINCE_LEADER
#define MINISTRY SRV_ROLES_MINISTRY

/* The role gate; which of these roles decides a given record (local or
 * national project, adjustment type) is checked in the database (1003). */
const SrvMethod srv_progress_methods[] = {
  { "progress.report", srv_handle_progress_report, PROVINCE, SRV_METHOD_WRITE },
  { "progress.confirm", srv_handle_progress_confirm, LEADER, SRV_METHOD_WRITE },
  { "progress.return", srv_handle_progress_return, LEADER, SRV_METHOD_WRITE },
  { "progress.list", srv_handle_progress_list, SRV_ROLES_ALL, 0 },
  { "project.submit_acceptance", srv_handle_project_submit_acceptance, PROVINCE, SRV_METHOD_WRITE },
  { "project.accept", srv_handle_project_accept, LEADER | MINISTRY, SRV_METHOD_WRITE },
  { "adjustment.request", srv_handle_adjustment_request, PROVINCE, SRV_METHOD_WRITE },
  { "adjustment.decide", srv_handle_adjustment_decide, LEADER | MINISTRY, SRV_METHOD_WRITE },
  { "adjustment.list", srv_handle_adjustment_list, SRV_ROLES_ALL, 0 },
  { "project.cancel", srv_handle_project_cancel, LEADER | SRV_ROLE_MINISTRY_APPROVER,
    SRV_METHOD_WRITE },
  { "project.fail_base_appraisal", srv_handle_project_fail_base_appraisal, LEADER,
    SRV_METHOD_WRITE },
  { "project.approve_implementation_plan", srv_handle_project_approve_implementation_plan, LEADER,
    SRV_METHOD_WRITE },
  { "typical_product.create", srv_handle_typical_product_create, SRV_ROLE_ADMIN | LEADER,
    SRV_METHOD_WRITE },
  { "typical_product.list", srv_handle_typical_product_list, SRV_ROLES_ALL, 0 },
  { "typical_product.update", srv_handle_typical_product_update, SRV_ROLE_ADMIN | LEADER,
    SRV_METHOD_WRITE },
  { NULL, NULL, 0, 0 },
};
