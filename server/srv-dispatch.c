/*
 * srv-dispatch.c — method name → handler, with who may call it.
 *
 * The role gate is here, in one table, so that a reviewer can read the
 * whole access policy on one screen; record-level scoping (a province sees
 * only its own records) is in each handler's SQL.
 */
#include "srv-handlers.h"

#define ALL SRV_ROLES_ALL
#define ADMIN SRV_ROLE_ADMIN

static const SrvMethod methods[] = {
  { "server.info", srv_handle_server_info, ALL, SRV_METHOD_ANONYMOUS | SRV_METHOD_INLINE },
  { "auth.login", srv_handle_auth_login, ALL, SRV_METHOD_ANONYMOUS },
  { "auth.resume", srv_handle_auth_resume, ALL, SRV_METHOD_ANONYMOUS },
  { "auth.logout", srv_handle_auth_logout, ALL, 0 },
  { "auth.change_password", srv_handle_auth_change_password, ALL, 0 },
  { "auth.whoami", srv_handle_auth_whoami, ALL, SRV_METHOD_INLINE },
  { "user.create", srv_handle_user_create, ADMIN, 0 },
  { "user.get", srv_handle_user_get, ADMIN, 0 },
  { "user.list", srv_handle_user_list, ADMIN, 0 },
  { "user.update", srv_handle_user_update, ADMIN, 0 },
  { "user.disable", srv_handle_user_disable, ADMIN, 0 },
  { "user.reset_password", srv_handle_user_reset_password, ADMIN, 0 },
  { "org.list", srv_handle_org_list, ALL, 0 },
  { "audit.list", srv_handle_audit_list, ADMIN, 0 },
  { NULL, NULL, 0, 0 },
};

/* Each further family keeps its table beside its handlers
 * (srv-handler-<family>.c), with the same shape as the one above. */
static const SrvMethod *const families[] = {
  methods,
  srv_catalog_methods,
  srv_events_methods,
  srv_plan_methods,
  srv_project_methods,
  srv_attachment_methods,
  srv_progress_methods,
  srv_review_methods,
  srv_budget_methods,
  srv_decision_methods,
  srv_correspondence_methods,
  srv_programme_methods,
  srv_round_methods,
  srv_totp_methods,
  srv_report_methods,
  srv_client_read_methods,
  srv_inbox_methods,
};

const SrvMethod *
srv_dispatch_lookup (const char *name)
{
  static GHashTable *table;

  if (g_once_init_enter (&table))
    {
      GHashTable *t = g_hash_table_new (g_str_hash, g_str_equal);
      for (gsize f = 0; f < G_N_ELEMENTS (families); f++)
        for (const SrvMethod *m = families[f]; m->name != NULL; m++)
          g_hash_table_insert (t, (gpointer)m->name, (gpointer)m);
      g_once_init_leave (&table, t);
    }
  return g_hash_table_lookup (table, name);
}
