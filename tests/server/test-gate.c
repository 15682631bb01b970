/*
 * test-gate.c — the gate every call passes (srv-dispatch.c), as a table:
 * which caller state refuses which method, with which code and reason.
 */
#include "srv-handlers.h"

static const SrvMethod *
method (const char *name)
{
  const SrvMethod *m = srv_dispatch_lookup (name);

  g_assert_nonnull (m);
  return m;
}

static void
assert_refused (const char *name, SrvGateState state, SrvRole role, int code, const char *reason)
{
  const SrvGateRule *rule = srv_dispatch_gate (method (name), state, role);

  g_assert_nonnull (rule);
  g_assert_cmpint (rule->code, ==, code);
  g_assert_cmpstr (rule->reason, ==, reason);
}

static void
test_anonymous (void)
{
  g_assert_null (srv_dispatch_gate (method ("server.info"), SRV_GATE_NO_SESSION, 0));
  g_assert_null (srv_dispatch_gate (method ("auth.login"), SRV_GATE_EXPIRED, 0));
}

static void
test_session (void)
{
  assert_refused ("plan.list", SRV_GATE_NO_SESSION, 0, KC_ERROR_NOT_LOGGED_IN, NULL);
  assert_refused ("plan.list", SRV_GATE_EXPIRED, 0, KC_ERROR_SESSION_EXPIRED, NULL);
  /* No role to speak of without a session: the session is what is said. */
  assert_refused ("user.create", SRV_GATE_NO_SESSION, 0, KC_ERROR_NOT_LOGGED_IN, NULL);
}

static void
test_forced_steps (void)
{
  assert_refused ("plan.list", SRV_GATE_MUST_CHANGE_PASSWORD, SRV_ROLE_PROVINCE_OFFICER,
                  KC_ERROR_FORBIDDEN, "must_change_password");
  g_assert_null (srv_dispatch_gate (method ("auth.change_password"), SRV_GATE_MUST_CHANGE_PASSWORD,
                                    SRV_ROLE_PROVINCE_OFFICER));
  assert_refused ("plan.list", SRV_GATE_MUST_ENROL_TOTP, SRV_ROLE_MINISTRY_APPROVER,
                  KC_ERROR_FORBIDDEN, "must_enrol_totp");
  g_assert_null (srv_dispatch_gate (method ("auth.totp_begin"), SRV_GATE_MUST_ENROL_TOTP,
                                    SRV_ROLE_MINISTRY_APPROVER));
  /* The password comes before the second factor. */
  assert_refused ("plan.list", SRV_GATE_MUST_CHANGE_PASSWORD | SRV_GATE_MUST_ENROL_TOTP,
                  SRV_ROLE_MINISTRY_APPROVER, KC_ERROR_FORBIDDEN, "must_change_password");
}

static void
test_role (void)
{
  const SrvGateRule *rule
      = srv_dispatch_gate (method ("user.create"), 0, SRV_ROLE_PROVINCE_OFFICER);

  g_assert_nonnull (rule);
  g_assert_cmpint (rule->code, ==, KC_ERROR_FORBIDDEN);
  g_assert_true (rule->audited);
  g_assert_null (srv_dispatch_gate (method ("user.create"), 0, SRV_ROLE_ADMIN));
  g_assert_null (srv_dispatch_gate (method ("plan.list"), 0, SRV_ROLE_PROVINCE_OFFICER));
}

/* Every method is in exactly one table, with a role or anonymous. */
static void
count_method (const SrvMethod *m, gpointer user_data)
{
  GHashTable *seen = user_data;

  g_assert_false (g_hash_table_contains (seen, m->name));
  g_hash_table_add (seen, (gpointer)m->name);
  g_assert_true ((m->flags & SRV_METHOD_ANONYMOUS) || (m->roles & SRV_ROLES_ALL) != 0);
  g_assert_true (srv_dispatch_lookup (m->name) == m);
}

static void
test_tables (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  srv_dispatch_foreach (count_method, seen);
  g_assert_cmpuint (g_hash_table_size (seen), >, 100);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gate/anonymous", test_anonymous);
  g_test_add_func ("/gate/session", test_session);
  g_test_add_func ("/gate/forced-steps", test_forced_steps);
  g_test_add_func ("/gate/role", test_role);
  g_test_add_func ("/gate/tables", test_tables);
  return g_test_run ();
}
