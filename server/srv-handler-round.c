/*
 * srv-handler-round.c — reporting rounds (issue 15): round.create/get/list,
 * a province's report (round.report_get/update/send), the Ministry's
 * decisions on it (round.report_return/accept), round.consolidate, and the
 * two documents report.export renders (report.round_report,
 * report.round_consolidated), with their table.
 *
 * As for programme.* (srv-handler-programme.c): parameters are validated
 * here, the rest is one call of a function of sql/0026_rounds.sql, which
 * checks scope (1004: a province sees its own report only), the caller's
 * role for the record (1003), version (1009) and status (1010) before it
 * writes, and audits the write. The status transitions are also enforced by
 * a trigger there.
 */
#include "srv-handlers.h"

static const SrvQueryDef q_create
    = { "round_create", SRV_OUTCOME "kc_round_create" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_get = { "round_get", SRV_OUTCOME "kc_round_get" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_list = { "round_list", SRV_OUTCOME "kc_round_list" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_report_get
    = { "round_report_get", SRV_OUTCOME "kc_round_report_get" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_report_update
    = { "round_report_update", SRV_OUTCOME "kc_round_report_update" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_report_send
    = { "round_report_send", SRV_OUTCOME "kc_round_report_send" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_report_return
    = { "round_report_return", SRV_OUTCOME "kc_round_report_return" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_report_accept
    = { "round_report_accept", SRV_OUTCOME "kc_round_report_accept" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_consolidate
    = { "round_consolidate", SRV_OUTCOME "kc_round_consolidate" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_doc_report
    = { "report_round_report", SRV_OUTCOME "kc_report_round_report" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_doc_consolidated
    = { "report_round_consolidated", SRV_OUTCOME "kc_report_round_consolidated" SRV_READ_ARGS, 2 };

/* A section's text: a long chapter of a report, well under the 1 MiB line
 * limit of methods without files even with all sections at once. */
#define SECTION_TEXT_MAX 50000

static const char *const kinds[] = { "summary", "periodic", NULL };

/* round.create {title, document_no, signed_on, kind, from_year, to_year,
 * due_on, sections?: [{key, title, guidance?}], tables?} */
static void
srv_handle_round_create (SrvCall *call, SrvDbConn *db)
{
  static const SrvItemField section_fields[] = {
    { "key", SRV_ITEM_STRING, TRUE, 40, NULL },
    { "title", SRV_ITEM_STRING, TRUE, 300, NULL },
    { "guidance", SRV_ITEM_TEXT, FALSE, 4000, NULL },
    { NULL, 0, FALSE, 0, NULL },
  };
  JsonNode *node;
  gint64 from_year = 0, to_year = 0;
  gboolean have_from, have_to;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_string (&p, "title", TRUE, 1, 500);
  srv_params_string (&p, "document_no", TRUE, 1, 100);
  srv_params_date (&p, "signed_on", TRUE);
  srv_params_enum (&p, "kind", TRUE, kinds);
  have_from = srv_params_int64 (&p, "from_year", TRUE, 2014, 2100, &from_year);
  have_to = srv_params_int64 (&p, "to_year", TRUE, 2014, 2100, &to_year);
  if (have_from && have_to && to_year < from_year)
    srv_params_error (&p, "to_year", "must not be before from_year");
  srv_params_date (&p, "due_on", TRUE);
  if (srv_plan_check_list (&p, "sections", section_fields, FALSE))
    {
      node = json_object_get_member (call->params, "sections");
      guint n = json_array_get_length (json_node_get_array (node));
      if (n < 1 || n > 30)
        srv_params_error (&p, "sections", "must have 1 to 30 sections");
    }
  if (srv_plan_check_list (&p, "tables", NULL, TRUE))
    {
      static const char *const names[]
          = { "money", "indicators", "products", "difficulties", NULL };
      JsonArray *list = json_node_get_array (json_object_get_member (call->params, "tables"));
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *item = json_array_get_element (list, i);
          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING
              && !g_strv_contains (names, json_node_get_string (item)))
            {
              g_autofree char *where = g_strdup_printf ("tables[%u]", i);
              srv_params_error (&p, where,
                                "must be one of money, indicators, products, difficulties");
            }
        }
    }
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_create, TRUE);
}

/* round.get {id} */
static void
srv_handle_round_get (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_get, FALSE);
}

/* round.list {kind?, limit?, cursor?} */
static void
srv_handle_round_list (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  const char *cursor;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_enum (&p, "kind", FALSE, kinds);
  srv_params_page (&p, &v, &cursor);
  if (cursor != NULL && !g_regex_match_simple ("^[0-9]{1,18}$", cursor, 0, 0))
    srv_params_error (&p, "cursor", "is not a cursor this method gave");
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_list, FALSE);
}

/* round.report_get {round_id, org_id?} */
static void
srv_handle_round_report_get (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "round_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_get, FALSE);
}

/* round.report_update {round_id, version, sections: [{key, text}]} */
static void
srv_handle_round_report_update (SrvCall *call, SrvDbConn *db)
{
  static const SrvItemField fields[] = {
    { "key", SRV_ITEM_STRING, TRUE, 40, NULL },
    { "text", SRV_ITEM_TEXT, TRUE, SECTION_TEXT_MAX, NULL },
    { NULL, 0, FALSE, 0, NULL },
  };
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "round_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  if (!srv_plan_check_list (&p, "sections", fields, FALSE))
    srv_params_error (&p, "sections", "is required (a list of {key, text})");
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_update, TRUE);
}

/* round.report_send {round_id, version} */
static void
srv_handle_round_report_send (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "round_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_send, TRUE);
}

/* round.report_return {round_id, org_id, comment, version?} */
static void
srv_handle_round_report_return (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "round_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "org_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_text (&p, "comment", TRUE, 1, 20000);
  srv_params_int64 (&p, "version", FALSE, 1, G_MAXINT32, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_return, TRUE);
}

/* round.report_accept {round_id, org_id, version?} */
static void
srv_handle_round_report_accept (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "round_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "org_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", FALSE, 1, G_MAXINT32, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_report_accept, TRUE);
}

/* round.consolidate {round_id} */
static void
srv_handle_round_consolidate (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "round_id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_consolidate, FALSE);
}

/* report.round_report {round_id, org_id}: a province's report as a
 * document (report.export, docx/odt/pdf; csv/xlsx give its money table). */
static void
srv_handle_report_round_report (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "round_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "org_id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_doc_report, FALSE);
}

/* report.round_consolidated {round_id}: the national summary document. */
static void
srv_handle_report_round_consolidated (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "round_id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_doc_consolidated, FALSE);
}

#define PROVINCE SRV_ROLES_PROVINCE
#define LEADER SRV_ROLE_PROVINCE_LEADER
#define MINISTRY SRV_ROLES_MINISTRY
#define APPROVER SRV_ROLE_MINISTRY_APPROVER
#define READERS (SRV_ROLES_MINISTRY | SRV_ROLES_PROVINCE | SRV_ROLE_VIEWER)

/* The Ministry's approver opens a round and accepts a report; a reviewer
 * or the approver returns one (as review.decide's request_revision). A
 * province's officer and leader write its report, the leader sends it.
 * Reading: every role but admin (accounts, not reports); the SQL shows a
 * province its own report only. The national summary is the Ministry's
 * (the SQL refuses a province-side viewer with 1003 too). */
const SrvMethod srv_round_methods[] = {
  { "round.create", srv_handle_round_create, APPROVER, SRV_METHOD_WRITE },
  { "round.get", srv_handle_round_get, READERS, 0 },
  { "round.list", srv_handle_round_list, READERS, 0 },
  { "round.report_get", srv_handle_round_report_get, READERS, 0 },
  { "round.report_update", srv_handle_round_report_update, PROVINCE, SRV_METHOD_WRITE },
  { "round.report_send", srv_handle_round_report_send, LEADER, SRV_METHOD_WRITE },
  { "round.report_return", srv_handle_round_report_return, MINISTRY, SRV_METHOD_WRITE },
  { "round.report_accept", srv_handle_round_report_accept, APPROVER, SRV_METHOD_WRITE },
  { "round.consolidate", srv_handle_round_consolidate, MINISTRY, SRV_METHOD_WRITE },
  { "report.round_report", srv_handle_report_round_report, READERS, 0 },
  { "report.round_consolidated", srv_handle_report_round_consolidated, MINISTRY, 0 },
  { NULL, NULL, 0, 0 },
};
