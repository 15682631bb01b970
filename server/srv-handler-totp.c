/*
 * srv-handler-totp.c — two-factor login (issue 7): auth.totp_status,
 * auth.totp_begin, auth.totp_confirm, auth.totp_disable and
 * user.reset_totp, with their table, and the check of a second factor
 * that auth.login and auth.totp_disable share.
 *
 * TOTP as RFC 6238 with the defaults every authenticator app assumes:
 * HMAC-SHA1, 30 s steps, 6 digits, a 160-bit secret; a code is accepted one
 * step early or late (clock drift, typing time) and each step only once.
 * The secret is sealed with AES-256-GCM under the key of
 * [auth] totp_key_file before it reaches the database (sql/0021_totp.sql).
 *
 * Recovery codes: 80 random bits each, shown once, stored as SHA-256 and
 * spent by the statement that accepts them.
 */
#include "srv-handlers.h"

#include <string.h>

#include "srv-crypto.h"

#define SECRET_BYTES 20
#define STEP_SECONDS 30
#define RECOVERY_CODES 10
#define RECOVERY_BYTES 10 /* 16 base32 characters */
#define ISSUER "Khuyen Cong"

static const SrvQueryDef q_get
    = { "totp_get",
        "SELECT encode(t.secret_enc, 'hex'), t.last_step, t.enabled_at IS NOT NULL,"
        " (SELECT count(*) FROM user_recovery_codes c"
        "   WHERE c.user_id = t.user_id AND c.used_at IS NULL)"
        " FROM user_totp t WHERE t.user_id = $1::bigint",
        1 };
static const SrvQueryDef q_use_step
    = { "totp_use_step", "SELECT kc_totp_use_step($1::bigint, $2::bigint, $3, $4, $5)", 5 };
static const SrvQueryDef q_use_recovery
    = { "totp_use_recovery", "SELECT kc_totp_use_recovery($1::bigint, $2::bytea, $3, $4, $5)", 5 };
static const SrvQueryDef q_begin
    = { "totp_begin", "SELECT kc_totp_begin($1::bigint, $2::bytea, $3, $4)", 4 };
static const SrvQueryDef q_confirm
    = { "totp_confirm",
        "SELECT kc_totp_confirm($1::bigint, $2::bigint,"
        " (SELECT array_agg(decode(h, 'hex')) FROM unnest($3::text[]) h), $4, $5)",
        5 };
static const SrvQueryDef q_remove
    = { "totp_remove",
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE id = $1::bigint)"
        " THEN kc_totp_remove($1::bigint, $2::bigint, $3, $4, $5) END",
        5 };
/* Helpers */

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* The sealing key, read once; FALSE when TOTP is not configured. */
static gboolean
get_key (const SrvConfig *config, const guint8 **key)
{
  static guint8 cached[32];
  static gsize state; /* 0 not yet, 1 loaded, 2 unavailable */

  if (g_once_init_enter (&state))
    {
      g_autoptr (GError) error = NULL;
      gsize result = srv_config_read_totp_key (config, cached, &error) ? 1 : 2;

      g_once_init_leave (&state, result);
    }
  *key = cached;
  return state == 1;
}

static char *
aad_for (gint64 user_id)
{
  return g_strdup_printf ("kc-totp:%" G_GINT64_FORMAT, user_id);
}

static gint64
current_step (void)
{
  return g_get_real_time () / G_USEC_PER_SEC / STEP_SECONDS;
}

static void
set_bad_status (SrvCall *call, const char *status, const char *message)
{
  JsonObject *data = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (data, "status", status);
  json_node_take_object (node, data);
  srv_call_set_error (call, KC_ERROR_BAD_STATUS, node, "%s", message);
}

static void
set_unavailable (SrvCall *call)
{
  set_bad_status (call, "not_configured", "two-factor login is not configured on this server");
}

/* The user's TOTP row, or NULL with the call failed on a database error.
 * An absent row gives rows with n_rows == 0. */
static SrvRows *
load_row (SrvCall *call, SrvDbConn *db, const char *user_id)
{
  g_autoptr (GError) error = NULL;
  const char *params[] = { user_id };
  SrvRows *rows = srv_db_exec_def (db, &q_get, params, &error);

  if (rows == NULL)
    srv_call_set_db_error (call, error);
  return rows;
}

/* The step within ±1 of now whose code is @code, or -1. */
static gint64
match_step (const guint8 *secret, gsize len, const char *code)
{
  static const int order[] = { 0, -1, 1 };
  gint64 now = current_step ();
  gint64 found = -1;

  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    {
      gint64 value = srv_crypto_hotp (secret, len, (guint64)(now + order[i]), 6);
      char text[8];

      g_snprintf (text, sizeof text, "%06" G_GINT64_FORMAT, value);
      /* Every candidate is compared, so the time does not say which one. */
      if (value >= 0 && srv_crypto_equal (text, code) && found < 0)
        found = now + order[i];
    }
  return found;
}

/* The secret of a TOTP row (transfer full), or NULL (bad key or data). */
static GBytes *
open_secret (const SrvConfig *config, gint64 user_id, const char *hex)
{
  const guint8 *key;
  g_autoptr (GBytes) sealed = srv_crypto_bytea_parse (hex);
  g_autofree char *aad = aad_for (user_id);

  if (sealed == NULL || !get_key (config, &key))
    return NULL;
  return srv_crypto_open (key, aad, sealed);
}

/* Six digits, once spaces are removed; else the recovery code normalised
 * (lower case, no separators). */
static char *
normalise_code (const char *code, gboolean *is_totp)
{
  GString *out = g_string_new (NULL);
  gboolean digits = TRUE;

  for (const char *p = code; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isdigit (*p))
        digits = FALSE;
      g_string_append_c (out, g_ascii_tolower (*p));
    }
  *is_totp = digits && out->len == 6;
  return g_string_free (out, FALSE);
}

static gboolean
exec_bool (SrvCall *call, SrvDbConn *db, const SrvQueryDef *def, const char *const *params,
           gboolean *value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = srv_db_exec_def (db, def, params, &error);

  if (rows == NULL)
    {
      srv_call_set_db_error (call, error);
      return FALSE;
    }
  *value = rows->n_rows == 1 && srv_rows_get_bool (rows, 0, 0);
  return TRUE;
}

/* Shared with auth.login */

SrvTotpState
srv_totp_state (SrvCall *call, SrvDbConn *db, gint64 user_id)
{
  g_autofree char *uid = int_text (user_id);
  g_autoptr (SrvRows) rows = load_row (call, db, uid);

  if (rows == NULL)
    return SRV_TOTP_ERROR;
  if (rows->n_rows == 0)
    return SRV_TOTP_NONE;
  return srv_rows_get_bool (rows, 0, 2) ? SRV_TOTP_ENABLED : SRV_TOTP_PENDING;
}

SrvTotpVerdict
srv_totp_check (SrvCall *call, SrvDbConn *db, gint64 user_id, const char *username,
                const char *code, const char *method)
{
  g_autofree char *uid = int_text (user_id);
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *normal = NULL;
  gboolean is_totp = FALSE;
  gboolean accepted = FALSE;

  normal = normalise_code (code, &is_totp);
  rows = load_row (call, db, uid);
  if (rows == NULL)
    return SRV_TOTP_FAILED;
  if (rows->n_rows == 0 || !srv_rows_get_bool (rows, 0, 2))
    return SRV_TOTP_WRONG;

  if (is_totp)
    {
      g_autoptr (GBytes) secret
          = open_secret (call->ctx->config, user_id, srv_rows_get (rows, 0, 0));
      gint64 step;
      g_autofree char *step_text = NULL;

      if (secret == NULL)
        {
          g_autoptr (GError) e
              = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                                     "a TOTP secret does not decrypt: wrong auth.totp_key_file?");
          srv_call_set_db_error (call, e);
          return SRV_TOTP_FAILED;
        }
      step = match_step (g_bytes_get_data (secret, NULL), g_bytes_get_size (secret), normal);
      if (step < 0)
        return SRV_TOTP_WRONG;
      step_text = int_text (step);
      {
        const char *params[] = { uid, step_text, username, call->peer, method };
        if (!exec_bool (call, db, &q_use_step, params, &accepted))
          return SRV_TOTP_FAILED;
      }
      return accepted ? SRV_TOTP_OK : SRV_TOTP_REPLAYED;
    }

  if (strlen (normal) != RECOVERY_BYTES * 8 / 5)
    return SRV_TOTP_WRONG;
  {
    g_autofree char *hash = srv_crypto_sha256_bytea (normal);
    const char *params[] = { uid, hash, username, call->peer, method };
    if (!exec_bool (call, db, &q_use_recovery, params, &accepted))
      return SRV_TOTP_FAILED;
  }
  return accepted ? SRV_TOTP_OK : SRV_TOTP_WRONG;
}

void
srv_totp_record_failure (SrvCall *call, SrvDbConn *db, const char *username, gint64 user_id,
                         const char *reason, const char *method)
{
  g_autofree char *uid = int_text (user_id);

  srv_auth_record_failure (call, db, username, uid, reason, method);
}

void
srv_totp_set_code_error (SrvCall *call, const char *reason)
{
  JsonObject *data = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_boolean_member (data, "totp", TRUE);
  json_object_set_string_member (data, "reason", reason);
  json_node_take_object (node, data);
  srv_call_set_error (call, KC_ERROR_SECOND_FACTOR, node, "%s",
                      g_str_equal (reason, "code_required")
                          ? "second factor required: send the authenticator code as otp"
                          : "the second-factor code is not valid");
}

/* Handlers */

/* Whoever holds a session is not yet its owner: enrolling a second
 * factor (which then guards the account against its owner) needs the
 * password again, unless this session's login checked it moments ago (the
 * enrolment that follows a login of a required role). A wrong password is
 * a guess, counted like a failed login. FALSE with the call failed. */
#define FRESH_LOGIN_US (5 * 60 * G_USEC_PER_SEC)

static gboolean
confirm_password (SrvCall *call, SrvDbConn *db, const char *password, const char *method)
{
  g_autofree char *uid = int_text (call->session->user_id);
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  gint64 at = call->session->authenticated_at_us;
  SrvParams q;

  if (password == NULL && at > 0 && g_get_real_time () - at < FRESH_LOGIN_US)
    return TRUE;
  srv_params_init (&q, call);
  g_hash_table_add (q.seen, (gpointer) "password");
  if (password == NULL)
    {
      srv_params_error (&q, "password",
                        "is required: setting up two-factor login needs the password again");
      srv_params_finish (&q);
      return FALSE;
    }
  if (!srv_auth_claim_attempt (call, db, call->session->username, method, NULL))
    {
      srv_params_finish (&q);
      return FALSE;
    }
  {
    const char *params[] = { uid };
    rows = srv_db_exec (db, SRV_Q_USER_PASSWORD_HASH, params, &error);
  }
  if (rows == NULL)
    {
      srv_call_set_db_error (call, error);
      srv_params_finish (&q);
      return FALSE;
    }
  if (rows->n_rows != 1
      || !srv_password_verify (call->ctx->password, srv_rows_get (rows, 0, 0), password))
    {
      srv_totp_record_failure (call, db, call->session->username, call->session->user_id,
                               "bad_password", method);
      if (!srv_call_failed (call))
        srv_params_error (&q, "password", "is not the current password");
      srv_params_finish (&q);
      return FALSE;
    }
  srv_params_finish (&q);
  return srv_auth_release_attempt (call, db);
}

/* auth.totp_status {} → {enabled, pending, required, recovery_codes_left} */
static void
srv_handle_auth_totp_status (SrvCall *call, SrvDbConn *db)
{
  g_autofree char *uid = int_text (call->session->user_id);
  g_autoptr (SrvRows) rows = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const guint8 *key;
  SrvParams p;

  srv_params_init (&p, call);
  if (!srv_params_finish (&p))
    return;
  rows = load_row (call, db, uid);
  if (rows == NULL)
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "available");
  json_builder_add_boolean_value (b, get_key (call->ctx->config, &key));
  json_builder_set_member_name (b, "enabled");
  json_builder_add_boolean_value (b, rows->n_rows == 1 && srv_rows_get_bool (rows, 0, 2));
  json_builder_set_member_name (b, "pending");
  json_builder_add_boolean_value (b, rows->n_rows == 1 && !srv_rows_get_bool (rows, 0, 2));
  json_builder_set_member_name (b, "required");
  json_builder_add_boolean_value (
      b, srv_config_totp_required (call->ctx->config, call->session->role_name));
  json_builder_set_member_name (b, "recovery_codes_left");
  json_builder_add_int_value (b, rows->n_rows == 1 ? srv_rows_get_int64 (rows, 0, 3) : 0);
  json_builder_end_object (b);
  srv_call_set_result_node (call, json_builder_get_root (b));
}

/* auth.totp_begin {} → {secret, uri, digits, period} */
static void
srv_handle_auth_totp_begin (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) sealed = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *uid = int_text (call->session->user_id);
  g_autofree char *aad = aad_for (call->session->user_id);
  g_autofree char *secret_text = NULL;
  g_autofree char *sealed_hex = NULL;
  g_autofree char *label = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *uri = NULL;
  guint8 secret[SECRET_BYTES];
  const guint8 *key;
  gboolean begun = FALSE;
  const char *password;
  SrvParams p;

  srv_params_init (&p, call);
  password = srv_params_string (&p, "password", FALSE, 1, 1024);
  if (!srv_params_finish (&p))
    return;
  if (!get_key (call->ctx->config, &key))
    {
      set_unavailable (call);
      return;
    }
  if (!confirm_password (call, db, password, "auth.totp_begin"))
    return;
  if (!srv_crypto_random (secret, sizeof secret)
      || (sealed = srv_crypto_seal (key, aad, secret, sizeof secret)) == NULL)
    {
      g_autoptr (GError) e = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                                                  "could not make or seal a TOTP secret");
      memset (secret, 0, sizeof secret);
      srv_call_set_db_error (call, e);
      return;
    }
  secret_text = srv_crypto_base32 (secret, sizeof secret);
  memset (secret, 0, sizeof secret);
  sealed_hex = srv_crypto_bytea_hex (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  {
    const char *params[] = { uid, sealed_hex, call->session->username, call->peer };
    if (!exec_bool (call, db, &q_begin, params, &begun))
      return;
  }
  if (!begun)
    {
      set_bad_status (call, "enabled",
                      "two-factor login is already on; turn it off first (auth.totp_disable)");
      return;
    }

  /* Key URI format (Google Authenticator), understood by every app. */
  label = g_uri_escape_string (call->session->username, NULL, FALSE);
  issuer = g_uri_escape_string (ISSUER, NULL, FALSE);
  uri = g_strdup_printf ("otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=6"
                         "&period=%d",
                         issuer, label, secret_text, issuer, STEP_SECONDS);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "secret");
  json_builder_add_string_value (b, secret_text);
  json_builder_set_member_name (b, "uri");
  json_builder_add_string_value (b, uri);
  json_builder_set_member_name (b, "digits");
  json_builder_add_int_value (b, 6);
  json_builder_set_member_name (b, "period");
  json_builder_add_int_value (b, STEP_SECONDS);
  json_builder_end_object (b);
  srv_call_set_result_node (call, json_builder_get_root (b));
}

/* auth.totp_confirm {code} → {recovery_codes: [10 codes]} */
static void
srv_handle_auth_totp_confirm (SrvCall *call, SrvDbConn *db)
{
  g_autofree char *uid = int_text (call->session->user_id);
  g_autoptr (SrvRows) rows = NULL;
  g_autoptr (GBytes) secret = NULL;
  g_autoptr (GString) hashes = g_string_new ("{");
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *step_text = NULL;
  g_auto (GStrv) codes = g_new0 (char *, RECOVERY_CODES + 1);
  g_autoptr (GError) error = NULL;
  const char *code;
  gboolean confirmed = FALSE;
  gint64 step;
  const guint8 *key;
  SrvParams p;

  srv_params_init (&p, call);
  code = srv_params_string (&p, "code", TRUE, 6, 6);
  if (code != NULL && strspn (code, "0123456789") != 6)
    srv_params_error (&p, "code", "must be the 6 digits the authenticator shows");
  if (!srv_params_finish (&p))
    return;
  if (!get_key (call->ctx->config, &key))
    {
      set_unavailable (call);
      return;
    }
  rows = load_row (call, db, uid);
  if (rows == NULL)
    return;
  if (rows->n_rows == 0 || srv_rows_get_bool (rows, 0, 2))
    {
      set_bad_status (call, rows->n_rows == 0 ? "none" : "enabled",
                      "no enrolment is waiting for its code (auth.totp_begin first)");
      return;
    }
  secret = open_secret (call->ctx->config, call->session->user_id, srv_rows_get (rows, 0, 0));
  if (secret == NULL)
    {
      g_autoptr (GError) e = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                                                  "the pending TOTP secret does not decrypt");
      srv_call_set_db_error (call, e);
      return;
    }
  step = match_step (g_bytes_get_data (secret, NULL), g_bytes_get_size (secret), code);
  if (step < 0)
    {
      SrvParams q;

      srv_params_init (&q, call);
      g_hash_table_add (q.seen, (gpointer) "code");
      srv_params_error (&q, "code",
                        "is not the code the authenticator shows now (check the phone's clock)");
      srv_params_finish (&q);
      return;
    }

  for (guint i = 0; i < RECOVERY_CODES; i++)
    {
      guint8 raw[RECOVERY_BYTES];
      g_autofree char *text = NULL;
      g_autofree char *lower = NULL;
      g_autofree char *hash = NULL;

      if (!srv_crypto_random (raw, sizeof raw))
        {
          g_autoptr (GError) e = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                                                      "the random generator failed");
          srv_call_set_db_error (call, e);
          return;
        }
      text = srv_crypto_base32 (raw, sizeof raw);
      lower = g_ascii_strdown (text, -1);
      hash = srv_crypto_sha256_bytea (lower);
      g_string_append_printf (hashes, "%s%s", i > 0 ? "," : "", hash + 2);
      /* Groups of four are easier to copy by hand. */
      codes[i] = g_strdup_printf ("%.4s-%.4s-%.4s-%.4s", lower, lower + 4, lower + 8, lower + 12);
    }
  g_string_append_c (hashes, '}');
  step_text = int_text (step);
  if (!srv_db_begin (db, &error))
    {
      srv_call_set_db_error (call, error);
      return;
    }
  {
    const char *params[] = { uid, step_text, hashes->str, call->session->username, call->peer };
    if (!exec_bool (call, db, &q_confirm, params, &confirmed))
      return;
  }
  if (!confirmed)
    {
      srv_db_rollback (db);
      set_bad_status (call, "enabled", "this enrolment was confirmed meanwhile");
      return;
    }
  /* Other connections of this session leave the must-enrol gate too. */
  if (!srv_auth_announce_ungate (call, db, "totp"))
    return;
  if (!srv_db_commit (db, &error))
    {
      srv_call_set_db_error (call, error);
      return;
    }
  call->totp_enrolled = TRUE;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "recovery_codes");
  json_builder_begin_array (b);
  for (guint i = 0; i < RECOVERY_CODES; i++)
    json_builder_add_string_value (b, codes[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  srv_call_set_result_node (call, json_builder_get_root (b));
}

/* auth.totp_disable {password, code}: both factors again, and each wrong
 * one counts as a failed login (throttled like auth.login). */
static void
srv_handle_auth_totp_disable (SrvCall *call, SrvDbConn *db)
{
  g_autofree char *uid = int_text (call->session->user_id);
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  const char *password;
  const char *code;
  gboolean removed = FALSE;
  SrvTotpVerdict verdict;
  SrvParams p;

  srv_params_init (&p, call);
  password = srv_params_string (&p, "password", TRUE, 1, 1024);
  code = srv_params_string (&p, "code", TRUE, 1, 64);
  if (!srv_params_finish (&p))
    return;
  if (srv_config_totp_required (call->ctx->config, call->session->role_name))
    {
      JsonObject *data = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (data, "reason", "totp_required");
      json_node_take_object (node, data);
      srv_call_set_error (call, KC_ERROR_FORBIDDEN, node,
                          "this role must keep two-factor login; an administrator can reset it");
      return;
    }
  if (!srv_auth_claim_attempt (call, db, call->session->username, "auth.totp_disable", NULL))
    return;
  {
    const char *params[] = { uid };
    rows = srv_db_exec (db, SRV_Q_USER_PASSWORD_HASH, params, &error);
  }
  if (rows == NULL)
    {
      srv_call_set_db_error (call, error);
      return;
    }
  if (rows->n_rows != 1
      || !srv_password_verify (call->ctx->password, srv_rows_get (rows, 0, 0), password))
    {
      srv_totp_record_failure (call, db, call->session->username, call->session->user_id,
                               "bad_password", "auth.totp_disable");
      if (!srv_call_failed (call))
        {
          SrvParams q;

          srv_params_init (&q, call);
          g_hash_table_add (q.seen, (gpointer) "password");
          g_hash_table_add (q.seen, (gpointer) "code");
          srv_params_error (&q, "password", "is not the current password");
          srv_params_finish (&q);
        }
      return;
    }
  if (!srv_db_begin (db, &error))
    {
      srv_call_set_db_error (call, error);
      return;
    }
  verdict = srv_totp_check (call, db, call->session->user_id, call->session->username, code,
                            "auth.totp_disable");
  if (verdict == SRV_TOTP_FAILED)
    return;
  if (verdict != SRV_TOTP_OK)
    {
      srv_db_rollback (db);
      srv_totp_record_failure (call, db, call->session->username, call->session->user_id,
                               verdict == SRV_TOTP_REPLAYED ? "otp_replayed" : "bad_otp",
                               "auth.totp_disable");
      if (!srv_call_failed (call))
        srv_totp_set_code_error (call, "invalid_code");
      return;
    }
  {
    /* The owner's own removal: past the four-eyes guard (sql/0024). */
    static const SrvQueryDef q_self
        = { "totp_self", "SELECT set_config('kc.totp_self', $1, true)", 1 };
    const char *params[] = { uid };
    g_autoptr (GError) e = NULL;
    g_autoptr (SrvRows) r = srv_db_exec_def (db, &q_self, params, &e);

    if (r == NULL)
      {
        srv_db_rollback (db);
        srv_call_set_db_error (call, e);
        return;
      }
  }
  {
    const char *params[] = { uid, uid, call->session->username, call->peer, "auth.totp_disable" };
    if (!exec_bool (call, db, &q_remove, params, &removed))
      return;
  }
  if (!srv_auth_release_attempt (call, db))
    {
      srv_db_rollback (db);
      return;
    }
  if (!srv_db_commit (db, &error))
    {
      srv_call_set_db_error (call, error);
      return;
    }
  srv_call_set_result (call, g_strdup ("{}"));
}

/* user.reset_totp {id} → {had_totp}: for a user who lost the phone and
 * the recovery codes. The user enrols again (at the next login if the
 * role requires it). */
static void
srv_handle_user_reset_totp (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *actor = int_text (call->session->user_id);
  gint64 id = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &id);
  if (!srv_params_finish (&p))
    return;
  switch (srv_admin_four_eyes_request (call, db, "reset_totp", id))
    {
      case SRV_FOUR_EYES_FAILED:
      case SRV_FOUR_EYES_REQUESTED:
        return;
      case SRV_FOUR_EYES_NOT_NEEDED:
        break;
    }
  id_text = int_text (id);
  {
    const char *params[]
        = { id_text, actor, call->session->username, call->peer, "user.reset_totp" };
    rows = srv_db_exec_def (db, &q_remove, params, &error);
  }
  if (rows == NULL)
    {
      srv_call_set_db_error (call, error);
      return;
    }
  if (rows->n_rows != 1 || srv_rows_get (rows, 0, 0) == NULL)
    {
      srv_call_set_error (call, KC_ERROR_NOT_FOUND, NULL, "no such user");
      return;
    }
  srv_call_set_result (call, g_strdup (srv_rows_get_bool (rows, 0, 0) ? "{\"had_totp\":true}"
                                                                      : "{\"had_totp\":false}"));
}

/* user.confirm_reset {request_id} → {kind, user_id, had_totp | password}:
 * the second administrator's half of a four-eyes reset (sql/0024). The
 * confirmation and the reset are one transaction; a password is generated
 * here and shown to the confirming administrator only. */
static void
srv_handle_user_confirm_reset (SrvCall *call, SrvDbConn *db)
{
  static const SrvQueryDef q_reset_confirm = {
    "reset_confirm",
    "SELECT kind, target_id, requested_by FROM kc_reset_confirm($1::bigint, $2::bigint, $3, $4)", 4
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autoptr (SrvRows) done = NULL;
  g_autofree char *request = NULL;
  g_autofree char *actor = int_text (call->session->user_id);
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *result = NULL;
  const char *target;
  gint64 id = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "request_id", TRUE, 1, G_MAXINT64, &id);
  if (!srv_params_finish (&p))
    return;
  request = int_text (id);
  password = srv_admin_generate_password ();
  hash = srv_password_hash (call->ctx->password, password);
  if (hash == NULL || !srv_db_begin (db, &error))
    goto failed;
  {
    const char *params[] = { request, actor, call->session->username, call->peer };
    rows = srv_db_exec_def (db, &q_reset_confirm, params, &error);
  }
  if (rows == NULL)
    {
      srv_db_rollback (db);
      if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_CHECK))
        srv_call_set_error (call, KC_ERROR_FORBIDDEN, NULL,
                            "four eyes: the administrator who asked for a reset cannot confirm it");
      else
        srv_call_set_db_error (call, error);
      return;
    }
  if (rows->n_rows != 1)
    {
      srv_db_rollback (db);
      srv_call_set_error (call, KC_ERROR_NOT_FOUND, NULL,
                          "no such pending reset request (or older than a day)");
      return;
    }
  target = srv_rows_get (rows, 0, 1);
  if (g_str_equal (srv_rows_get (rows, 0, 0), "reset_totp"))
    {
      const char *params[]
          = { target, actor, call->session->username, call->peer, "user.reset_totp" };
      done = srv_db_exec_def (db, &q_remove, params, &error);
      if (done == NULL || !srv_db_commit (db, &error))
        goto failed;
      result = g_strdup_printf ("{\"kind\":\"reset_totp\",\"user_id\":%s,\"had_totp\":%s}", target,
                                srv_rows_get_bool (done, 0, 0) ? "true" : "false");
    }
  else
    {
      g_autoptr (SrvRows) current = NULL;
      g_autoptr (JsonNode) pw = json_node_new (JSON_NODE_VALUE);
      g_autofree char *pw_json = NULL;
      const char *params[] = { target };

      current = srv_db_exec (db, SRV_Q_USER_PASSWORD_HASH, params, &error);
      if (current == NULL || current->n_rows != 1)
        goto failed;
      {
        const char *up[] = { target, srv_rows_get (current, 0, 1), hash,
                             actor,  call->session->username,      call->peer };
        done = srv_db_exec (db, SRV_Q_USER_RESET_PASSWORD, up, &error);
      }
      if (done == NULL || !srv_db_commit (db, &error))
        goto failed;
      json_node_set_string (pw, password);
      pw_json = kc_json_to_string (pw, FALSE);
      result = g_strdup_printf ("{\"kind\":\"reset_password\",\"user_id\":%s,\"password\":%s}",
                                target, pw_json);
    }
  srv_call_set_result (call, g_steal_pointer (&result));
  return;

failed:
  srv_db_rollback (db);
  if (error == NULL)
    error = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED, "the reset failed");
  srv_call_set_db_error (call, error);
}

gboolean
srv_totp_must_enrol (SrvCall *call, SrvDbConn *db, gint64 user_id, const char *role, gboolean *must)
{
  SrvTotpState state;

  *must = FALSE;
  if (!srv_config_totp_required (call->ctx->config, role))
    return TRUE;
  state = srv_totp_state (call, db, user_id);
  if (state == SRV_TOTP_ERROR)
    return FALSE;
  *must = state != SRV_TOTP_ENABLED;
  return TRUE;
}

#define ALL SRV_ROLES_ALL

const SrvMethod srv_totp_methods[] = {
  { "auth.totp_status", srv_handle_auth_totp_status, ALL, 0 },
  { "auth.totp_begin", srv_handle_auth_totp_begin, ALL, 0 },
  { "auth.totp_confirm", srv_handle_auth_totp_confirm, ALL, 0 },
  { "auth.totp_disable", srv_handle_auth_totp_disable, ALL, 0 },
  { "user.reset_totp", srv_handle_user_reset_totp, SRV_ROLE_ADMIN, SRV_METHOD_WRITE },
  { "user.confirm_reset", srv_handle_user_confirm_reset, SRV_ROLE_ADMIN, SRV_METHOD_WRITE },
  { NULL, NULL, 0, 0 },
};
