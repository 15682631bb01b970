/*
 * srv-handler-inbox.c — what awaits the caller (issue 16): inbox.list,
 * inbox.mark_seen, and the leader's and the Ministry's report.dashboard.
 *
 * Parameters are validated here; the rest is one call of a function of
 * sql/0028_inbox.sql, which derives the items from the records' state for
 * the caller's role and scope (a province's users never get another
 * province's item), and audits inbox.mark_seen.
 */
#include "srv-handlers.h"

#include "kc-date.h"

static const SrvQueryDef q_list = { "inbox_list", SRV_OUTCOME "kc_inbox_list" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_mark_seen
    = { "inbox_mark_seen", SRV_OUTCOME "kc_inbox_mark_seen" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_dashboard
    = { "report_dashboard", SRV_OUTCOME "kc_report_dashboard" SRV_READ_ARGS, 2 };

/* An optional RFC 3339 instant. */
static void
instant_param (SrvParams *p, const char *name)
{
  const char *text = srv_params_string (p, name, FALSE, 1, 40);
  g_autoptr (GDateTime) parsed = NULL;

  if (text == NULL)
    return;
  parsed = kc_instant_parse (text);
  if (parsed == NULL)
    srv_params_error (p, name, "must be an RFC 3339 instant, e.g. 2026-01-31T00:00:00Z");
}

/* inbox.list {since?, kinds?, limit?, cursor?, per_group?, group?}: per_group
 * the first N of each of the home page's groups, group one group's items
 * (sql/0054) */
static void
srv_handle_inbox_list (SrvCall *call, SrvDbConn *db)
{
  static const char *const groups[] = { "late", "sent_back", "todo", NULL };
  const char *cursor;
  gint64 v = 0;
  gint64 per_group = 0;
  SrvParams p;

  srv_params_init (&p, call);
  instant_param (&p, "since");
  srv_plan_check_list (&p, "kinds", NULL, TRUE);
  srv_params_page (&p, &v, &cursor);
  srv_params_int64 (&p, "per_group", FALSE, 1, 1000, &per_group);
  srv_params_enum (&p, "group", FALSE, groups);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_list, TRUE);
}

/* inbox.mark_seen {at?} */
static void
srv_handle_inbox_mark_seen (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  instant_param (&p, "at");
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_mark_seen, TRUE);
}

/* report.dashboard {year?, province_map?, sort?, order?} */
static void
srv_handle_report_dashboard (SrvCall *call, SrvDbConn *db)
{
  static const char *const maps[] = { "34", "63", NULL };
  static const char *const sorts[]
      = { "province_code", "province_name", "projects",          "planned", "allocated",
          "paid",          "settled",       "disbursement_rate", "late",    NULL };
  static const char *const orders[] = { "asc", "desc", NULL };
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "year", FALSE, 2014, 2100, &v);
  srv_params_enum (&p, "province_map", FALSE, maps);
  srv_params_enum (&p, "sort", FALSE, sorts);
  srv_params_enum (&p, "order", FALSE, orders);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_dashboard, FALSE);
}

#define READERS (SRV_ROLES_MINISTRY | SRV_ROLES_PROVINCE | SRV_ROLE_VIEWER)

/* inbox.*: every role (an admin's or a viewer's inbox is empty: no kind of
 * inbox_kinds names them). report.dashboard: the readers of report.summary,
 * whose figures it shows. */
const SrvMethod srv_inbox_methods[] = {
  { "inbox.list", srv_handle_inbox_list, SRV_ROLES_ALL, 0 },
  { "inbox.mark_seen", srv_handle_inbox_mark_seen, SRV_ROLES_ALL, SRV_METHOD_WRITE },
  { "report.dashboard", srv_handle_report_dashboard, READERS, 0 },
  { NULL, NULL, 0, 0 },
};
