/*
 * srv-handlers.h — the method handlers, one file per family
 * (srv-handler-<family>.c), and the dispatch table that names them.
 */
#pragma once

#include "srv-call.h"

G_BEGIN_DECLS

/* (transfer none) (nullable) */
const SrvMethod *srv_dispatch_lookup (const char *name);

/* Method tables of the families that keep theirs beside their handlers,
 * each ended by an entry whose name is NULL. */
extern const SrvMethod srv_catalog_methods[];
extern const SrvMethod srv_events_methods[];
extern const SrvMethod srv_plan_methods[];
extern const SrvMethod srv_project_methods[];
extern const SrvMethod srv_attachment_methods[];
extern const SrvMethod srv_progress_methods[];
extern const SrvMethod srv_review_methods[];
extern const SrvMethod srv_budget_methods[];
extern const SrvMethod srv_decision_methods[];
extern const SrvMethod srv_correspondence_methods[];
extern const SrvMethod srv_report_methods[];

/* server.* */
void srv_handle_server_info (SrvCall *call, SrvDbConn *db);

/* auth.* */
void srv_handle_auth_login (SrvCall *call, SrvDbConn *db);
void srv_handle_auth_resume (SrvCall *call, SrvDbConn *db);
void srv_handle_auth_logout (SrvCall *call, SrvDbConn *db);
void srv_handle_auth_change_password (SrvCall *call, SrvDbConn *db);
void srv_handle_auth_whoami (SrvCall *call, SrvDbConn *db);

/* user.* */
void srv_handle_user_create (SrvCall *call, SrvDbConn *db);
void srv_handle_user_get (SrvCall *call, SrvDbConn *db);
void srv_handle_user_list (SrvCall *call, SrvDbConn *db);
void srv_handle_user_update (SrvCall *call, SrvDbConn *db);
void srv_handle_user_disable (SrvCall *call, SrvDbConn *db);
void srv_handle_user_reset_password (SrvCall *call, SrvDbConn *db);

/* org.* */
void srv_handle_org_list (SrvCall *call, SrvDbConn *db);

/* audit.* */
void srv_handle_audit_list (SrvCall *call, SrvDbConn *db);

/* catalog.* */
void srv_handle_catalog_get (SrvCall *call, SrvDbConn *db);
void srv_handle_catalog_update (SrvCall *call, SrvDbConn *db);
void srv_handle_catalog_add_cap (SrvCall *call, SrvDbConn *db);

/* plan.* and project.* (issue 3): srv-handler-plan.c, srv-handler-project.c */
typedef enum
{
  SRV_ITEM_STRING, /* one line */
  SRV_ITEM_TEXT,   /* newlines allowed */
  SRV_ITEM_INT,    /* 0..max */
  SRV_ITEM_DATE,
  SRV_ITEM_ENUM,
  SRV_ITEM_BOOL,
} SrvItemType;

/* One member of an object inside the parameters (a list item, a sheet). */
typedef struct
{
  const char *name;
  SrvItemType type;
  gboolean required;
  gint64 max; /* characters of a string, largest integer */
  const char *const *choices;
} SrvItemField;

/* The call's parameters as compact JSON text. */
char *srv_plan_params_json (SrvCall *call);
/* Checks the list @name (absent or null: FALSE), each item an object of
 * @fields, or a code string when @strings; errors name "list[i].member". */
gboolean srv_plan_check_list (SrvParams *p, const char *name, const SrvItemField *fields,
                              gboolean strings);
gboolean srv_plan_check_object (SrvParams *p, const char *name, const SrvItemField *fields);
/* An optional string that may also be given as null (clears it). */
const char *srv_plan_opt_string (SrvParams *p, const char *name, glong max_chars,
                                 gboolean multiline);
/* Runs @def with (actor..., scope, params JSON) or (scope, params JSON) and
 * answers with its {result} or {error}. */
void srv_plan_run (SrvCall *call, SrvDbConn *db, const SrvQueryDef *def, gboolean with_actor);

void srv_handle_plan_create (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_get (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_list (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_update (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_submit (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_withdraw (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_appraise (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_approve_local (SrvCall *call, SrvDbConn *db);
void srv_handle_project_create (SrvCall *call, SrvDbConn *db);
void srv_handle_project_get (SrvCall *call, SrvDbConn *db);
void srv_handle_project_list (SrvCall *call, SrvDbConn *db);
void srv_handle_project_update (SrvCall *call, SrvDbConn *db);
void srv_handle_project_delete (SrvCall *call, SrvDbConn *db);

/* attachment.* and project.import (issue 3): srv-handler-attachment.c */
void srv_handle_attachment_begin (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_put (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_finish (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_abort (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_list (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_get (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_delete (SrvCall *call, SrvDbConn *db);
void srv_handle_project_import (SrvCall *call, SrvDbConn *db);
/* The connection @conn_id closed: its unfinished uploads are abandoned. */
void srv_attachment_connection_closed (SrvContext *ctx, guint64 conn_id);
/* Called by the server's janitor (every second): sweeps once a minute. */
void srv_attachment_janitor (SrvContext *ctx);
void srv_handle_project_check (SrvCall *call, SrvDbConn *db);
void srv_handle_project_copy (SrvCall *call, SrvDbConn *db);

G_END_DECLS
