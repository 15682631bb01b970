/*
 * srv-dispatch.c — method name → handler, and the gate every call passes
 * before its handler runs.
 *
 * Access is decided in three places, each as data: the gate below (session,
 * forced password change, forced TOTP enrolment, role), the role mask of each
 * method in the method tables (this file's for server/auth/user/org/audit,
 * the others beside their handlers in srv-handler-<family>.c), and
 * record-level scope (a province sees only its own records) in each
 * method's SQL. `kc-server --methods` prints the merged table.
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
  { "user.create", srv_handle_user_create, ADMIN, SRV_METHOD_WRITE },
  { "user.get", srv_handle_user_get, ADMIN, 0 },
  { "user.list", srv_handle_user_list, ADMIN, 0 },
  { "user.update", srv_handle_user_update, ADMIN, SRV_METHOD_WRITE },
  { "user.disable", srv_handle_user_disable, ADMIN, SRV_METHOD_WRITE },
  { "user.reset_password", srv_handle_user_reset_password, ADMIN, SRV_METHOD_WRITE },
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

/* The gate, in the order its rows are tried: the first row whose condition
 * holds for the caller, and whose exemption does not cover the method,
 * refuses the call. Anonymous methods pass it untouched. */
static const SrvGateRule gate[] = {
  { SRV_GATE_EXPIRED, NULL, KC_ERROR_SESSION_EXPIRED, NULL,
    "the session expired or was revoked; log in again", FALSE },
  { SRV_GATE_NO_SESSION, NULL, KC_ERROR_NOT_LOGGED_IN, NULL,
    "log in first (auth.login or auth.resume)", FALSE },
  { SRV_GATE_MUST_CHANGE_PASSWORD, "auth.", KC_ERROR_FORBIDDEN, "must_change_password",
    "change the password first (auth.change_password)", FALSE },
  { SRV_GATE_MUST_ENROL_TOTP, "auth.", KC_ERROR_FORBIDDEN, "must_enrol_totp",
    "set up two-factor login first (auth.totp_begin)", FALSE },
  /* Audited (sql/0024's kc_audit_refusal), so answered by a worker. */
  { SRV_GATE_ROLE, NULL, KC_ERROR_FORBIDDEN, NULL, "this role may not call this method", TRUE },
};

const SrvGateRule *
srv_dispatch_gate (const SrvMethod *method, SrvGateState state, SrvRole role)
{
  if (method->flags & SRV_METHOD_ANONYMOUS)
    return NULL;
  if (state & (SRV_GATE_EXPIRED | SRV_GATE_NO_SESSION))
    state &= ~SRV_GATE_ROLE;
  else if (!(method->roles & role))
    state |= SRV_GATE_ROLE;
  for (gsize i = 0; i < G_N_ELEMENTS (gate); i++)
    if ((state & gate[i].when) != 0
        && (gate[i].exempt_prefix == NULL
            || !g_str_has_prefix (method->name, gate[i].exempt_prefix)))
      return &gate[i];
  return NULL;
}

void
srv_dispatch_foreach (void (*func) (const SrvMethod *method, gpointer user_data),
                      gpointer user_data)
{
  for (gsize f = 0; f < G_N_ELEMENTS (families); f++)
    for (const SrvMethod *m = families[f]; m->name != NULL; m++)
      func (m, user_data);
}
