/*
 * srv-handler-correspondence.c — correspondence (kiến nghị, vướng mắc)
 * between a province and the Ministry, and deadline.overdue (issue 4).
 *
 * As for plan.* (srv-handler-plan.c): parameters are validated here, the
 * rest is one call of a function of sql/0013_correspondence_deadlines.sql,
 * which checks scope (1004), the role the record needs (1003), version
 * (1009) and status (1010) before it writes, and audits the write.
 */
#include "srv-handlers.h"

static const SrvQueryDef q_open
    = { "correspondence_open", SRV_OUTCOME "kc_correspondence_open" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_reply
    = { "correspondence_reply", SRV_OUTCOME "kc_correspondence_reply" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_answer
    = { "correspondence_answer", SRV_OUTCOME "kc_correspondence_answer" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_close
    = { "correspondence_close", SRV_OUTCOME "kc_correspondence_close" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_list
    = { "correspondence_list", SRV_OUTCOME "kc_correspondence_list" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_get
    = { "correspondence_get", SRV_OUTCOME "kc_correspondence_get" SRV_READ_ARGS, 2 };
static const SrvQueryDef q_overdue
    = { "deadline_overdue", SRV_OUTCOME "kc_deadline_overdue" SRV_READ_ARGS, 2 };

#define TEXT_MAX 50000 /* characters */

/* An optional id that may also be given as null. */
static void
opt_id (SrvParams *p, const char *name)
{
  gint64 v = 0;

  if (srv_params_is_null (p, name))
    {
      g_hash_table_add (p->seen, (gpointer)name);
      return;
    }
  srv_params_int64 (p, name, FALSE, 1, G_MAXINT64, &v);
}

static void
id_version (SrvParams *p)
{
  gint64 v = 0;

  srv_params_int64 (p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (p, "version", TRUE, 1, G_MAXINT32, &v);
}

/* correspondence.open {subject, body, plan_id?, project_id?} */
static void
srv_handle_correspondence_open (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_string (&p, "subject", TRUE, 1, 500);
  srv_params_text (&p, "body", TRUE, 1, TEXT_MAX);
  opt_id (&p, "plan_id");
  opt_id (&p, "project_id");
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_open, TRUE);
}

/* correspondence.reply {id, body} */
static void
srv_handle_correspondence_reply (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_text (&p, "body", TRUE, 1, TEXT_MAX);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_reply, TRUE);
}

/* correspondence.answer {id, version, answer} */
static void
srv_handle_correspondence_answer (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_text (&p, "answer", TRUE, 1, TEXT_MAX);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_answer, TRUE);
}

/* correspondence.close {id, version} */
static void
srv_handle_correspondence_close (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_close, TRUE);
}

/* correspondence.list {status?, overdue?, org_id?, limit, cursor} */
static void
srv_handle_correspondence_list (SrvCall *call, SrvDbConn *db)
{
  static const char *const statuses[] = { "open", "answered", "closed", NULL };
  const char *cursor;
  gboolean b;
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_enum (&p, "status", FALSE, statuses);
  srv_params_bool (&p, "overdue", FALSE, &b);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_page (&p, &v, &cursor);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_list, FALSE);
}

/* correspondence.get {id} */
static void
srv_handle_correspondence_get (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_get, FALSE);
}

/* deadline.overdue {org_id?, kind?} */
static void
srv_handle_deadline_overdue (SrvCall *call, SrvDbConn *db)
{
  static const char *const kinds[]
      = { "progress_report", "settlement_dossier", "settlement", "correspondence",
          "province_report", "registration",       NULL };
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_enum (&p, "kind", FALSE, kinds);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_overdue, FALSE);
}

#define PROVINCE SRV_ROLES_PROVINCE
#define MINISTRY SRV_ROLES_MINISTRY

/* The role gate; which province a request belongs to is checked in the
 * database (1004). */
const SrvMethod srv_correspondence_methods[] = {
  { "correspondence.open", srv_handle_correspondence_open, PROVINCE, SRV_METHOD_WRITE },
  { "correspondence.reply", srv_handle_correspondence_reply, PROVINCE | MINISTRY,
    SRV_METHOD_WRITE },
  { "correspondence.answer", srv_handle_correspondence_answer, MINISTRY, SRV_METHOD_WRITE },
  { "correspondence.close", srv_handle_correspondence_close, PROVINCE | MINISTRY,
    SRV_METHOD_WRITE },
  { "correspondence.list", srv_handle_correspondence_list, SRV_ROLES_ALL, 0 },
  { "correspondence.get", srv_handle_correspondence_get, SRV_ROLES_ALL, 0 },
  { "deadline.overdue", srv_handle_deadline_overdue, SRV_ROLES_ALL, 0 },
  { NULL, NULL, 0, 0 },
};
