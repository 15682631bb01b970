/*
 * srv-handler-review.c — the Ministry's appraisal (issue 4): review.queue,
 * review.assign, review.comment(s), review.score, review.decide,
 * review.diff and project.resubmit, with their table.
 *
 * As for plan.* (srv-handler-plan.c): parameters are validated here, the
 * rest is one call of a function of sql/0010_review.sql, which checks scope
 * (1004), the role the record needs (1003), version (1009), status (1010)
 * and rules (1022) before it writes, and audits the write.
 */
#include "srv-handlers.h"

static const SrvQueryDef q_queue
    = { "review_queue", SRV_OUTCOME "kc_review_queue" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_assign
    = { "review_assign", SRV_OUTCOME "kc_review_assign" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_comment
    = { "review_comment", SRV_OUTCOME "kc_review_comment" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_comments
    = { "review_comments", SRV_OUTCOME "kc_review_comments" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_score
    = { "review_score", SRV_OUTCOME "kc_review_score" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_decide
    = { "review_decide", SRV_OUTCOME "kc_review_decide" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_diff = { "review_diff", SRV_OUTCOME "kc_review_diff" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_resubmit
    = { "project_resubmit", SRV_OUTCOME "kc_project_resubmit" SRV_ACTOR_ARGS, 6 };

static const SrvItemField score_fields[] = {
  { "criterion", SRV_ITEM_INT, TRUE, 5, NULL },
  { "score", SRV_ITEM_INT, TRUE, 10, NULL },
  { "note", SRV_ITEM_TEXT, FALSE, 20000, NULL },
  { NULL, 0, FALSE, 0, NULL },
};

/* review.queue {province, category, kind, late, limit, cursor} */
static void
srv_handle_review_queue (SrvCall *call, SrvDbConn *db)
{
  static const char *const kinds[] = { "regular", "group", "flagship", "task", NULL };
  gint64 v = 0;
  const char *cursor;
  gboolean b;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "province", FALSE, 1, G_MAXINT64, &v);
  srv_params_string (&p, "category", FALSE, 1, 32);
  srv_params_enum (&p, "kind", FALSE, kinds);
  srv_params_bool (&p, "late", FALSE, &b);
  srv_params_page (&p, &v, &cursor);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_queue, FALSE);
}

static void
srv_handle_review_assign (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "reviewer_id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_assign, TRUE);
}

static void
srv_handle_review_comment (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_text (&p, "body", TRUE, 1, 20000);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_comment, TRUE);
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
srv_handle_review_comments (SrvCall *call, SrvDbConn *db)
{
  srv_handle_by_project (call, db, &q_comments);
}

static void
srv_handle_review_diff (SrvCall *call, SrvDbConn *db)
{
  srv_handle_by_project (call, db, &q_diff);
}

/* review.score {project_id, scores: [{criterion 1..5, score 0..10, note}]} */
static void
srv_handle_review_score (SrvCall *call, SrvDbConn *db)
{
  JsonNode *scores;
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  scores = json_object_get_member (call->params, "scores");
  if (scores == NULL || !JSON_NODE_HOLDS_ARRAY (scores)
      || json_array_get_length (json_node_get_array (scores)) == 0)
    {
      g_hash_table_add (p.seen, (gpointer) "scores");
      srv_params_error (&p, "scores", "must be a non-empty list");
    }
  else if (srv_plan_check_list (&p, "scores", score_fields, FALSE))
    {
      JsonArray *a = json_node_get_array (scores);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *item = json_array_get_element (a, i);
          JsonNode *c = JSON_NODE_HOLDS_OBJECT (item)
                            ? json_object_get_member (json_node_get_object (item), "criterion")
                            : NULL;
          if (c != NULL && JSON_NODE_HOLDS_VALUE (c) && json_node_get_value_type (c) == G_TYPE_INT64
              && json_node_get_int (c) < 1)
            {
              g_autofree char *name = g_strdup_printf ("scores[%u].criterion", i);
              srv_params_error (&p, name, "must be between 1 and 5");
            }
        }
    }
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_score, TRUE);
}

/* review.decide {project_id, version, decision, comment}: a rejection needs
 * a reason (also checked in the database, 1022). */
static void
srv_handle_review_decide (SrvCall *call, SrvDbConn *db)
{
  static const char *const decisions[] = { "approve", "reject", "request_revision", NULL };
  const char *decision, *comment;
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "project_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  decision = srv_params_enum (&p, "decision", TRUE, decisions);
  comment = srv_plan_opt_string (&p, "comment", 20000, TRUE);
  if (decision != NULL && g_str_equal (decision, "reject"))
    {
      g_autofree char *copy = g_strstrip (g_strdup (comment != NULL ? comment : ""));
      if (copy[0] == '\0')
        srv_params_error (&p, "comment", "is required when a project is rejected");
    }
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_decide, TRUE);
}

/* project.resubmit {id, version, comment} */
static void
srv_handle_project_resubmit (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  srv_plan_opt_string (&p, "comment", 20000, TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_resubmit, TRUE);
}

#define PROVINCE SRV_ROLES_PROVINCE
#define MINISTRY SRV_ROLES_MINISTRY

/* The role gate; approve and reject (ministry_approver only) are checked in
 * the database (1003). */
const SrvMethod srv_review_methods[] = {
  { "review.queue", srv_handle_review_queue, MINISTRY, 0 },
  { "review.assign", srv_handle_review_assign, SRV_ROLE_MINISTRY_APPROVER, SRV_METHOD_WRITE },
  { "review.comment", srv_handle_review_comment, MINISTRY | PROVINCE, SRV_METHOD_WRITE },
  { "review.comments", srv_handle_review_comments, SRV_ROLES_ALL, 0 },
  { "review.score", srv_handle_review_score, MINISTRY, SRV_METHOD_WRITE },
  { "review.decide", srv_handle_review_decide, MINISTRY, SRV_METHOD_WRITE },
  { "review.diff", srv_handle_review_diff, SRV_ROLES_ALL, 0 },
  { "project.resubmit", srv_handle_project_resubmit, PROVINCE, SRV_METHOD_WRITE },
  { NULL, NULL, 0, 0 },
};
