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
extern const SrvMethod srv_plan_methods[];
extern const SrvMethod srv_project_methods[];

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

G_END_DECLS
