/*
 * srv-handler-auth.c — server.info and auth.*: login with throttling and
 * the second factor (srv-handler-totp.c), resume, logout, password change.
 *
 * Nothing here may reveal whether a username exists: an unknown name and a
 * wrong password take the same time (a dummy hash) and get the same answer.
 */
#include "srv-handlers.h"

#include <string.h>

#include "kc-version.h"
#include "srv-crypto.h"
#include "srv-log.h"
#include "srv-replica.h"

/* Helpers */

static char *
interval_text (guint seconds)
{
  return g_strdup_printf ("%u seconds", seconds);
}

static void
add_user_member (JsonBuilder *b, const SrvSession *s)
{
  json_builder_set_member_name (b, "user");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, s->user_id);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, s->username);
  json_builder_set_member_name (b, "full_name");
  json_builder_add_string_value (b, s->full_name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, s->role_name);
  json_builder_set_member_name (b, "org_id");
  json_builder_add_int_value (b, s->org_id);
  json_builder_end_object (b);
}

static void
set_session_result (SrvCall *call, const char *token, const char *expires_at,
                    gboolean must_change_password)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const SrvSession *s = call->new_session != NULL ? call->new_session : call->session;

  json_builder_begin_object (b);
  if (token != NULL)
    {
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, token);
    }
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, expires_at);
  add_user_member (b, s);
  json_builder_set_member_name (b, "must_change_password");
  json_builder_add_boolean_value (b, must_change_password);
  json_builder_set_member_name (b, "must_enrol_totp");
  json_builder_add_boolean_value (b, s->must_enrol_totp);
  json_builder_end_object (b);
  srv_call_set_result_node (call, json_builder_get_root (b));
}

static void
set_retry_error (SrvCall *call, int code, gint64 retry_after, const char *message)
{
  JsonObject *data = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (data, "retry_after", MAX (1, retry_after));
  json_node_take_object (node, data);
  srv_call_set_error (call, code, node, "%s", message);
}

/* The attempt counted by srv_auth_claim_attempt() was a failure: its
 * reason and audit row. */
void
srv_auth_record_failure (SrvCall *call, SrvDbConn *db, const char *username, const char *user_id,
                         const char *reason, const char *method)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *attempt = g_strdup_printf ("%" G_GINT64_FORMAT, call->login_attempt);
  const char *params[] = { attempt, username, call->peer, user_id, reason, method };

  rows = srv_db_exec (db, SRV_Q_LOGIN_FAILED, params, &error);
  if (rows == NULL)
    srv_call_set_db_error (call, error);
  call->login_attempt = 0;
}

gboolean
srv_auth_release_attempt (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *attempt = g_strdup_printf ("%" G_GINT64_FORMAT, call->login_attempt);
  const char *params[] = { attempt };

  if (call->login_attempt == 0)
    return TRUE;
  rows = srv_db_exec (db, SRV_Q_LOGIN_RELEASE, params, &error);
  if (rows == NULL)
    {
      srv_call_set_db_error (call, error);
      return FALSE;
    }
  call->login_attempt = 0;
  return TRUE;
}

static void
record_failure (SrvCall *call, SrvDbConn *db, const char *username, const char *user_id,
                const char *reason)
{
  srv_auth_record_failure (call, db, username, user_id, reason, "auth.login");
}

static SrvSession *
session_from_row (const SrvRows *rows, guint first_col, gint64 session_id, gint64 remaining_s,
                  gint64 idle_s)
{
  SrvSession *s = srv_session_new ();

  s->session_id = session_id;
  s->user_id = srv_rows_get_int64 (rows, 0, first_col);
  s->username = g_strdup (srv_rows_get (rows, 0, first_col + 1));
  s->full_name = g_strdup (srv_rows_get (rows, 0, first_col + 2));
  s->role_name = g_strdup (srv_rows_get (rows, 0, first_col + 3));
  s->role = srv_role_from_name (s->role_name);
  s->org_id = srv_rows_get_int64 (rows, 0, first_col + 4);
  s->expires_at_us = g_get_real_time () + remaining_s * G_USEC_PER_SEC;
  s->idle_timeout_us = idle_s * G_USEC_PER_SEC;
  return s;
}

/* A province account without a province would be read as the Ministry
 * (scope 0: every province); the database refuses to create one
 * (sql/0024), and should one exist anyway it opens no session. */
static gboolean
scope_fits (SrvCall *call, const char *username, const char *role_name, gint64 scope_root)
{
  SrvRole role = srv_role_from_name (role_name);

  if (role != 0 && ((role & SRV_ROLES_PROVINCE) == 0 || scope_root > 0))
    return TRUE;
  srv_log (SRV_LOG_ERROR, call->conn_id, call->peer_full, call->request_id,
           "user \"%s\" (%s) has no province scope; login refused", username, role_name);
  srv_call_set_error (call, KC_ERROR_FORBIDDEN, NULL,
                      "this account's organisation does not fit its role; ask an administrator");
  return FALSE;
}

gboolean
srv_auth_announce_ungate (SrvCall *call, SrvDbConn *db, const char *gate)
{
  static const SrvQueryDef q_ungate = { "auth_ungate", "SELECT pg_notify('kc_session', $1)", 1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *payload
      = g_strdup_printf ("ungate:%s:%" G_GINT64_FORMAT, gate, call->session->session_id);
  const char *params[] = { payload };

  rows = srv_db_exec_def (db, &q_ungate, params, &error);
  if (rows == NULL)
    srv_call_set_db_error (call, error);
  return rows != NULL;
}

gboolean
srv_auth_claim_attempt (SrvCall *call, SrvDbConn *db, const char *username, const char *method,
                        SrvRows **found_out)
{
  const SrvConfig *config = call->ctx->config;
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) found = NULL;
  g_autofree char *window = interval_text (config->login_failure_window);
  g_autofree char *max = g_strdup_printf ("%u", config->login_max_failures);
  g_autofree char *peer_max = g_strdup_printf ("%u", config->login_peer_max_failures);
  g_autofree char *delay = g_strdup_printf ("%u", config->login_throttle_delay);
  const char *params[] = { username, call->peer, window, max, peer_max, delay, method };

  found = srv_db_exec (db, SRV_Q_LOGIN_ATTEMPT, params, &error);
  if (found == NULL || found->n_rows != 1)
    {
      if (error == NULL)
        error = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED, "no login_attempt row");
      srv_call_set_db_error (call, error);
      return FALSE;
    }
  call->login_attempt = srv_rows_get_int64 (found, 0, 9);
  if (call->login_attempt == 0)
    {
      set_retry_error (call, KC_ERROR_TOO_MANY, srv_rows_get_int64 (found, 0, 10),
                       "too many failed logins; try again later");
      return FALSE;
    }
  if (found_out != NULL)
    *found_out = g_steal_pointer (&found);
  return TRUE;
}

/* Handlers */

void
srv_handle_server_info (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;
  g_autoptr (JsonBuilder) b = json_builder_new ();

  srv_params_init (&p, call);
  if (!srv_params_finish (&p))
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, KC_SERVER_NAME);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, KC_VERSION);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_int_value (b, KC_PROTOCOL_VERSION);
  if (call->ctx->report_lag != NULL)
    {
      /* Only with report_conninfo set: where report.summary reads and how
       * far behind it is (null while it cannot be reached). */
      const SrvReplicaLag *l = call->ctx->report_lag;
      gboolean known = l->known, standby = l->standby;
      double lag = l->lag_seconds;

      json_builder_set_member_name (b, "report_database");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "standby");
      if (known)
        json_builder_add_boolean_value (b, standby);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "lag_seconds");
      if (known)
        json_builder_add_double_value (b, lag);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  srv_call_set_result_node (call, json_builder_get_root (b));
}

/* Login runs in three stages so that the Argon2id verification (about
 * 20 ms of CPU) happens on the CPU pool, never on a database worker:
 * look up (database) → verify (CPU) → record the outcome (database). */
typedef struct
{
  SrvRows *found;
  char *username;
  char *password;
  char *otp;
  gboolean verified;
} LoginState;

static void
login_state_free (gpointer data)
{
  LoginState *state = data;

  srv_rows_free (state->found);
  g_free (state->username);
  if (state->password != NULL)
    memset (state->password, 0, strlen (state->password));
  g_free (state->password);
  g_free (state->otp);
  g_free (state);
}

static void login_verify (SrvCall *call, SrvDbConn *db);

/* The session must be opened for the account as it is when the session
 * commits, not as it was read before the password check: a disable or a
 * demotion in between would otherwise leave a session with the old rights
 * for up to session_absolute_timeout. In the login's transaction. */
static gboolean
account_unchanged (SrvCall *call, SrvDbConn *db, const char *user_id, gint64 version)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  const char *params[] = { user_id };
  JsonObject *data;
  JsonNode *node;

  rows = srv_db_exec (db, SRV_Q_LOGIN_RECHECK, params, &error);
  if (rows == NULL)
    {
      srv_db_rollback (db);
      srv_call_set_db_error (call, error);
      return FALSE;
    }
  if (rows->n_rows == 1 && srv_rows_get_int64 (rows, 0, 0) == version)
    return TRUE;
  srv_db_rollback (db);
  /* Not the caller's failure: the attempt is not counted. */
  if (!srv_auth_release_attempt (call, db))
    return FALSE;
  data = json_object_new ();
  node = json_node_new (JSON_NODE_OBJECT);
  json_object_set_string_member (data, "reason", "account_changed");
  json_node_take_object (node, data);
  srv_call_set_error (call, KC_ERROR_NOT_LOGGED_IN, node,
                      "the account changed while logging in; log in again");
  return FALSE;
}
static void login_finish (SrvCall *call, SrvDbConn *db);

void
srv_handle_auth_login (SrvCall *call, SrvDbConn *db)
{
  SrvRows *found = NULL;
  const char *username;
  const char *password;
  const char *otp;
  LoginState *state;
  SrvParams p;

  srv_params_init (&p, call);
  username = srv_params_string (&p, "username", TRUE, 1, 200);
  password = srv_params_string (&p, "password", TRUE, 1, 1024);
  otp = srv_params_string (&p, "otp", FALSE, 1, 64);
  if (!srv_params_finish (&p))
    return;

  /* The guess is counted before it is verified: 40 at once count as 40. */
  if (!srv_auth_claim_attempt (call, db, username, "auth.login", &found))
    return;

  state = g_new0 (LoginState, 1);
  state->found = found;
  state->username = g_strdup (username);
  state->password = g_strdup (password);
  state->otp = g_strdup (otp);
  call->scratch = state;
  call->scratch_free = login_state_free;
  srv_call_continue (call, login_verify, TRUE);
}

static void
login_verify (SrvCall *call, SrvDbConn *db)
{
  LoginState *state = call->scratch;

  state->verified = srv_password_verify (call->ctx->password, srv_rows_get (state->found, 0, 5),
                                         state->password);
  srv_call_continue (call, login_finish, FALSE);
}

static void
login_finish (SrvCall *call, SrvDbConn *db)
{
  const SrvConfig *config = call->ctx->config;
  LoginState *state = call->scratch;
  SrvRows *found = state->found;
  const char *user_id = srv_rows_get (found, 0, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) opened = NULL;
  g_autofree char *idle = interval_text (config->session_idle_timeout);
  g_autofree char *absolute = interval_text (config->session_absolute_timeout);
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  const char *username = srv_rows_get (found, 0, 1);
  gint64 user_id_value = srv_rows_get_int64 (found, 0, 0);
  gboolean must_enrol = FALSE;
  SrvTotpState totp;

  if (!state->verified)
    {
      record_failure (call, db, state->username, user_id, "bad_credentials");
      if (!srv_call_failed (call))
        srv_call_set_error (call, KC_ERROR_NOT_LOGGED_IN, NULL, "invalid username or password");
      return;
    }
  if (srv_rows_get_bool (found, 0, 6))
    {
      /* Only someone who knows the password learns that the account is
       * disabled, so this does not reveal which names exist. */
      JsonObject *data = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      record_failure (call, db, state->username, user_id, "disabled");
      json_object_set_string_member (data, "reason", "account_disabled");
      json_node_take_object (node, data);
      if (!srv_call_failed (call))
        srv_call_set_error (call, KC_ERROR_NOT_LOGGED_IN, node, "this account is disabled");
      else
        json_node_unref (node);
      return;
    }

  if (!scope_fits (call, username, srv_rows_get (found, 0, 3), srv_rows_get_int64 (found, 0, 8)))
    return;
  if (!srv_db_begin (db, &error))
    {
      srv_call_set_db_error (call, error);
      return;
    }
  if (!account_unchanged (call, db, user_id, srv_rows_get_int64 (found, 0, 11)))
    return;
  totp = srv_totp_state (call, db, user_id_value);
  if (totp == SRV_TOTP_ERROR)
    return;
  if (totp == SRV_TOTP_ENABLED)
    {
      SrvTotpVerdict verdict;

      if (state->otp == NULL)
        {
          /* The right password without the code: not a failure, but on
           * record, so that the audit shows who stopped at this step. */
          g_autoptr (SrvRows) audited = NULL;
          const char *params[]
              = { user_id, username, call->peer, "auth.login",
                  "user",  user_id,  NULL,       "{\"result\":\"second_factor_required\"}" };

          if (!srv_auth_release_attempt (call, db))
            {
              srv_db_rollback (db);
              return;
            }
          audited = srv_db_exec (db, SRV_Q_AUDIT, params, &error);
          if (audited == NULL || !srv_db_commit (db, &error))
            srv_call_set_db_error (call, error);
          else
            srv_totp_set_code_error (call, "code_required");
          return;
        }
      verdict = srv_totp_check (call, db, user_id_value, username, state->otp, "auth.login");
      if (verdict == SRV_TOTP_FAILED)
        return;
      if (verdict != SRV_TOTP_OK)
        {
          srv_db_rollback (db);
          record_failure (call, db, state->username, user_id,
                          verdict == SRV_TOTP_REPLAYED ? "otp_replayed" : "bad_otp");
          if (!srv_call_failed (call))
            srv_totp_set_code_error (call, "invalid_code");
          return;
        }
    }
  else if (!srv_totp_must_enrol (call, db, user_id_value, srv_rows_get (found, 0, 3), &must_enrol))
    return;

  token = srv_crypto_new_token ();
  if (token == NULL)
    {
      g_autoptr (GError) e
          = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED, "the random generator failed");
      srv_call_set_db_error (call, e);
      return;
    }
  token_hash = srv_crypto_sha256_bytea (token);
  /* A connection holds one session: the one a new login replaces is ended,
   * not left valid for whoever holds its token. */
  if (call->session != NULL)
    {
      g_autofree char *sid = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->session_id);
      g_autofree char *uid = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->user_id);
      const char *params[] = { sid, uid, call->session->username, call->peer };
      g_autoptr (SrvRows) revoked = srv_db_exec (db, SRV_Q_SESSION_REVOKE, params, &error);

      if (revoked == NULL)
        {
          srv_call_set_db_error (call, error);
          return;
        }
    }
  {
    const char *params[] = { user_id, token_hash, call->peer, idle, absolute, username };
    opened = srv_db_exec (db, SRV_Q_SESSION_OPEN, params, &error);
  }
  if (opened == NULL || opened->n_rows != 1 || !srv_db_commit (db, &error))
    {
      if (error == NULL)
        error = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED, "no session row");
      srv_call_set_db_error (call, error);
      return;
    }

  call->new_session
      = session_from_row (found, 0, srv_rows_get_int64 (opened, 0, 0),
                          srv_rows_get_int64 (opened, 0, 2), config->session_idle_timeout);
  call->new_session->scope_root = srv_rows_get_int64 (found, 0, 8);
  call->new_session->must_change_password = srv_rows_get_bool (found, 0, 7);
  call->new_session->must_enrol_totp = must_enrol;
  call->new_session->authenticated_at_us = g_get_real_time ();
  srv_log (SRV_LOG_INFO, call->conn_id, call->peer_full, call->request_id,
           "user \"%s\" logged in (session %" G_GINT64_FORMAT ")", call->new_session->username,
           call->new_session->session_id);
  set_session_result (call, token, srv_rows_get (opened, 0, 1), srv_rows_get_bool (found, 0, 7));
}

void
srv_handle_auth_resume (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *token_hash = NULL;
  const char *token;
  SrvParams p;

  srv_params_init (&p, call);
  token = srv_params_string (&p, "token", TRUE, 1, 200);
  if (!srv_params_finish (&p))
    return;

  token_hash = srv_crypto_sha256_bytea (token);
  {
    const char *params[] = { token_hash };
    rows = srv_db_exec (db, SRV_Q_SESSION_RESUME, params, &error);
  }
  if (rows == NULL)
    {
      srv_call_set_db_error (call, error);
      return;
    }
  if (rows->n_rows == 0)
    {
      srv_call_set_error (call, KC_ERROR_SESSION_EXPIRED, NULL,
                          "the session expired or was revoked");
      return;
    }
  call->new_session
      = session_from_row (rows, 4, srv_rows_get_int64 (rows, 0, 0), srv_rows_get_int64 (rows, 0, 2),
                          srv_rows_get_int64 (rows, 0, 3));
  call->new_session->scope_root = srv_rows_get_int64 (rows, 0, 9);
  if (!scope_fits (call, call->new_session->username, call->new_session->role_name,
                   call->new_session->scope_root))
    {
      g_clear_pointer (&call->new_session, srv_session_unref);
      return;
    }
  call->new_session->must_change_password = srv_rows_get_bool (rows, 0, 10);
  if (!srv_totp_must_enrol (call, db, call->new_session->user_id, call->new_session->role_name,
                            &call->new_session->must_enrol_totp))
    {
      g_clear_pointer (&call->new_session, srv_session_unref);
      return;
    }
  set_session_result (call, NULL, srv_rows_get (rows, 0, 1),
                      call->new_session->must_change_password);
}

void
srv_handle_auth_logout (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *sid = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->session_id);
  g_autofree char *uid = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->user_id);
  const char *params[] = { sid, uid, call->session->username, call->peer };
  SrvParams p;

  srv_params_init (&p, call);
  if (!srv_params_finish (&p))
    return;
  rows = srv_db_exec (db, SRV_Q_SESSION_REVOKE, params, &error);
  if (rows == NULL)
    {
      srv_call_set_db_error (call, error);
      return;
    }
  call->end_session = TRUE;
  srv_call_set_result (call, g_strdup ("{}"));
}

void
srv_handle_auth_change_password (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) current = NULL;
  g_autoptr (SrvRows) done = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *uid = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->user_id);
  g_autofree char *sid = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->session_id);
  const char *old_password;
  const char *new_password;
  SrvParams p;

  srv_params_init (&p, call);
  old_password = srv_params_string (&p, "old_password", TRUE, 1, 1024);
  new_password = srv_params_string (&p, "new_password", TRUE, 0, 1024);
  if (new_password != NULL)
    {
      const char *rule = NULL;
      JsonObject *rule_data = NULL;

      policy = srv_password_check_policy_rule (call->ctx->password, new_password,
                                               call->session->username, &rule, &rule_data);
      if (policy != NULL)
        srv_params_error_rule (&p, "new_password", rule, rule_data, policy);
    }
  if (!srv_params_finish (&p))
    return;
  /* A wrong old password is a password guess like a failed login, from a
   * connection that holds a session: counted and throttled the same way. */
  if (!srv_auth_claim_attempt (call, db, call->session->username, "auth.change_password", NULL))
    return;

  hash = srv_password_hash (call->ctx->password, new_password);
  if (!srv_db_begin (db, &error))
    goto db_failed;
  {
    const char *params[] = { uid };
    current = srv_db_exec (db, SRV_Q_USER_PASSWORD_HASH, params, &error);
  }
  if (current == NULL)
    goto db_failed;
  if (current->n_rows != 1
      || !srv_password_verify (call->ctx->password, srv_rows_get (current, 0, 0), old_password))
    {
      srv_db_rollback (db);
      srv_totp_record_failure (call, db, call->session->username, call->session->user_id,
                               "bad_old_password", "auth.change_password");
      if (srv_call_failed (call))
        return;
      SrvParams q;
      srv_params_init (&q, call);
      g_hash_table_add (q.seen, (gpointer) "old_password");
      g_hash_table_add (q.seen, (gpointer) "new_password");
      srv_params_error (&q, "old_password", "is not the current password");
      srv_params_finish (&q);
      return;
    }
  {
    const char *params[] = { sid };
    g_autoptr (SrvRows) r = srv_db_exec (db, SRV_Q_SET_KEEP_SESSION, params, &error);
    if (r == NULL)
      goto db_failed;
  }
  if (!srv_auth_release_attempt (call, db))
    {
      srv_db_rollback (db);
      return;
    }
  {
    const char *params[] = { uid, hash, call->session->username, call->peer };
    done = srv_db_exec (db, SRV_Q_USER_SET_PASSWORD, params, &error);
  }
  if (done == NULL)
    goto db_failed;
  /* The other connections of this session pass the gate too. */
  if (!srv_auth_announce_ungate (call, db, "password"))
    {
      srv_db_rollback (db);
      return;
    }
  if (!srv_db_commit (db, &error))
    goto db_failed;
  call->password_changed = TRUE;
  srv_call_set_result (call, g_strdup ("{}"));
  return;

db_failed:
  srv_db_rollback (db);
  srv_call_set_db_error (call, error);
}

void
srv_handle_auth_whoami (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GDateTime) expires
      = g_date_time_new_from_unix_utc (call->session->expires_at_us / G_USEC_PER_SEC);
  g_autofree char *expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");
  SrvParams p;

  srv_params_init (&p, call);
  if (!srv_params_finish (&p))
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, expires_text);
  add_user_member (b, call->session);
  json_builder_end_object (b);
  srv_call_set_result_node (call, json_builder_get_root (b));
}
