/*
 * srv-handler-admin.c — user.* (accounts), org.list and audit.list.
 *
 * Every change is one SQL statement that also writes its audit row, so the
 * change and its trace commit together or not at all.
 */
#include "srv-handlers.h"

#include "kc-date.h"
#include "srv-crypto.h"

static const char *const role_choices[] = { "province_officer",
                                            "province_leader",
                                            "ministry_reviewer",
                                            "ministry_approver",
                                            "admin",
                                            "viewer",
                                            NULL };

/* Helpers */

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static gboolean
username_is_valid (const char *username)
{
  static GRegex *re;

  if (g_once_init_enter (&re))
    g_once_init_leave (&re, g_regex_new ("^[a-z0-9][a-z0-9._-]{1,62}$", G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match (re, username, 0, NULL);
}

/* Maps constraint failures of user writes onto the fields they concern. */
static void
set_user_write_error (SrvCall *call, const GError *error)
{
  if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_UNIQUE))
    srv_call_set_violation (call, "username", "unique", "this username is already taken");
  else if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_FOREIGN_KEY))
    srv_call_set_violation (call, "org_id", "exists", "no such organisation");
  else if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_CHECK))
    srv_call_set_violation (call, "username", "format", "the value is not allowed here");
  else if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_RULE)
           && strstr (error->message, "role and organisation") != NULL)
    /* users_role_org_guard (sql/0024): a province role on the Ministry
     * side would see every province. */
    srv_call_set_violation (call, "org_id", "role_org",
                            "this role does not belong in this organisation (province roles on "
                            "the province side, Ministry roles and admin on the Ministry side)");
  else
    srv_call_set_db_error (call, error);
}

SrvFourEyes
srv_admin_four_eyes_request (SrvCall *call, SrvDbConn *db, const char *kind, gint64 target)
{
  static const SrvQueryDef q_role
      = { "four_eyes_role", "SELECT kc_four_eyes_role(role) FROM users WHERE id = $1::bigint", 1 };
  static const SrvQueryDef q_request
      = { "four_eyes_request", "SELECT kc_reset_request($1, $2::bigint, $3::bigint, $4, $5)", 5 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *target_text = int_text (target);
  g_autofree char *actor = int_text (call->session->user_id);
  g_autofree char *result = NULL;

  {
    const char *params[] = { target_text };
    rows = srv_db_exec_def (db, &q_role, params, &error);
  }
  if (rows == NULL)
    {
      srv_call_set_db_error (call, error);
      return SRV_FOUR_EYES_FAILED;
    }
  if (rows->n_rows != 1 || !srv_rows_get_bool (rows, 0, 0))
    return SRV_FOUR_EYES_NOT_NEEDED; /* no such user: the reset itself says 1004 */
  g_clear_pointer (&rows, srv_rows_free);
  {
    const char *params[] = { kind, target_text, actor, call->session->username, call->peer };
    rows = srv_db_exec_def (db, &q_request, params, &error);
  }
  if (rows == NULL || rows->n_rows != 1)
    {
      if (error == NULL)
        error = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED, "no request row");
      srv_call_set_db_error (call, error);
      return SRV_FOUR_EYES_FAILED;
    }
  result = g_strdup_printf ("{\"four_eyes\":\"pending\",\"request_id\":%s}",
                            srv_rows_get (rows, 0, 0));
  srv_call_set_result (call, g_steal_pointer (&result));
  return SRV_FOUR_EYES_REQUESTED;
}

/* Rows of (current_version, json) from a versioned update. */
static void
finish_versioned (SrvCall *call, SrvRows *rows, GError *error, gboolean wrap_password,
                  const char *generated)
{
  if (rows == NULL)
    {
      set_user_write_error (call, error);
      return;
    }
  if (rows->n_rows == 0 || srv_rows_get (rows, 0, 0) == NULL)
    {
      srv_call_set_error (call, KC_ERROR_NOT_FOUND, NULL, "no such user");
      return;
    }
  if (srv_rows_get (rows, 0, 1) == NULL)
    {
      srv_call_set_conflict (call, srv_rows_get_int64 (rows, 0, 0));
      return;
    }
  if (!wrap_password)
    {
      srv_call_set_result (call, g_strdup (srv_rows_get (rows, 0, 1)));
      return;
    }
  {
    GString *out = g_string_new ("{\"user\":");
    g_string_append (out, srv_rows_get (rows, 0, 1));
    if (generated != NULL)
      g_string_append_printf (out, ",\"password\":\"%s\"", generated);
    g_string_append_c (out, '}');
    srv_call_set_result (call, g_string_free (out, FALSE));
  }
}

/* A password nobody has to invent: 20 characters from an alphabet without
 * look-alikes (0/O, 1/l/I), about 115 bits. */
char *
srv_admin_generate_password (void)
{
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  guint8 raw[20];
  char *out = g_malloc0 (sizeof raw + 1);

  if (!srv_crypto_random (raw, sizeof raw))
    {
      g_free (out);
      return NULL;
    }
  for (gsize i = 0; i < sizeof raw; i++)
    out[i] = alphabet[raw[i] % (sizeof alphabet - 1)];
  return out;
}

/* user.* */

void
srv_handle_user_create (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *username = NULL;
  g_autofree char *org = NULL;
  g_autofree char *actor = int_text (call->session->user_id);
  const char *raw_username, *full_name, *role, *password, *email, *phone;
  gboolean must_change = FALSE;
  gint64 org_id = 0;
  SrvParams p;

  srv_params_init (&p, call);
  raw_username = srv_params_string (&p, "username", TRUE, 2, 63);
  full_name = srv_params_string (&p, "full_name", TRUE, 1, 200);
  role = srv_params_enum (&p, "role", TRUE, role_choices);
  srv_params_int64 (&p, "org_id", TRUE, 1, G_MAXINT64, &org_id);
  password = srv_params_string (&p, "password", TRUE, 0, 1024);
  email = srv_params_string (&p, "email", FALSE, 0, 200);
  phone = srv_params_string (&p, "phone", FALSE, 0, 50);
  srv_params_bool (&p, "must_change_password", FALSE, &must_change);
  if (raw_username != NULL)
    {
      username = g_utf8_strdown (raw_username, -1);
      if (!username_is_valid (username))
        srv_params_error (&p, "username",
                          "must be 2 to 63 characters: letters a-z, digits, '.', '_' or '-'");
    }
  if (password != NULL)
    {
      const char *rule = NULL;
      JsonObject *rule_data = NULL;

      policy = srv_password_check_policy_rule (call->ctx->password, password, username, &rule,
                                               &rule_data);
      if (policy != NULL)
        srv_params_error_rule (&p, "password", rule, rule_data, policy);
    }
  if (!srv_params_finish (&p))
    return;

  hash = srv_password_hash (call->ctx->password, password);
  org = int_text (org_id);
  {
    const char *params[] = { username,  full_name,
                             role,      org,
                             hash,      must_change ? "true" : "false",
                             email,     phone,
                             actor,     call->session->username,
                             call->peer };
    rows = srv_db_exec (db, SRV_Q_USER_CREATE, params, &error);
  }
  if (rows == NULL)
    {
      set_user_write_error (call, error);
      return;
    }
  srv_call_set_result (call, g_strdup (srv_rows_get (rows, 0, 0)));
}

void
srv_handle_user_get (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *id_text = NULL;
  gboolean found = FALSE;
  gint64 id = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &id);
  if (!srv_params_finish (&p))
    return;
  id_text = int_text (id);
  {
    const char *params[] = { id_text };
    json = srv_db_exec_json (db, SRV_Q_USER_GET, params, &found, &error);
  }
  if (error != NULL)
    srv_call_set_db_error (call, error);
  else if (!found)
    srv_call_set_error (call, KC_ERROR_NOT_FOUND, NULL, "no such user");
  else
    srv_call_set_result (call, g_steal_pointer (&json));
}

void
srv_handle_user_list (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *org = NULL;
  g_autofree char *limit_text = NULL;
  const char *role, *query, *cursor;
  gboolean include_disabled = FALSE;
  gboolean found = FALSE;
  gint64 org_id = 0, limit = 100;
  SrvParams p;

  srv_params_init (&p, call);
  if (srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &org_id))
    org = int_text (org_id);
  role = srv_params_enum (&p, "role", FALSE, role_choices);
  query = srv_params_string (&p, "query", FALSE, 0, 100);
  srv_params_bool (&p, "include_disabled", FALSE, &include_disabled);
  srv_params_page (&p, &limit, &cursor);
  if (!srv_params_finish (&p))
    return;
  limit_text = int_text (limit);
  {
    const char *params[] = { cursor,
                             org,
                             role,
                             query != NULL && *query ? query : NULL,
                             include_disabled ? "true" : "false",
                             limit_text };
    json = srv_db_exec_json (db, SRV_Q_USER_LIST, params, &found, &error);
  }
  if (json == NULL)
    srv_call_set_db_error (call, error);
  else
    srv_call_set_result (call, g_steal_pointer (&json));
}

void
srv_handle_user_update (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *id_text = NULL, *version_text = NULL, *org = NULL;
  g_autofree char *actor = int_text (call->session->user_id);
  const char *full_name, *role, *email, *phone;
  gboolean email_set, phone_set, disabled = FALSE, disabled_set;
  gint64 id = 0, version = 0, org_id = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &id);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &version);
  full_name = srv_params_string (&p, "full_name", FALSE, 1, 200);
  role = srv_params_enum (&p, "role", FALSE, role_choices);
  if (srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &org_id))
    org = int_text (org_id);
  email_set = srv_params_is_null (&p, "email");
  email = email_set ? NULL : srv_params_string (&p, "email", FALSE, 0, 200);
  email_set = email_set || email != NULL;
  g_hash_table_add (p.seen, (gpointer) "email");
  phone_set = srv_params_is_null (&p, "phone");
  phone = phone_set ? NULL : srv_params_string (&p, "phone", FALSE, 0, 50);
  phone_set = phone_set || phone != NULL;
  g_hash_table_add (p.seen, (gpointer) "phone");
  disabled_set = srv_params_bool (&p, "disabled", FALSE, &disabled);
  if (id == call->session->user_id
      && ((role != NULL && !g_str_equal (role, "admin")) || (disabled_set && disabled)))
    srv_params_error (&p, role != NULL ? "role" : "disabled",
                      "an administrator cannot demote or disable their own account");
  if (!srv_params_finish (&p))
    return;

  id_text = int_text (id);
  version_text = int_text (version);
  {
    const char *params[] = { id_text,   version_text,
                             full_name, role,
                             org,       email_set ? "true" : "false",
                             email,     phone_set ? "true" : "false",
                             phone,     disabled_set ? (disabled ? "true" : "false") : NULL,
                             actor,     call->session->username,
                             call->peer };
    rows = srv_db_exec (db, SRV_Q_USER_UPDATE, params, &error);
  }
  finish_versioned (call, rows, error, FALSE, NULL);
}

void
srv_handle_user_disable (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *id_text = NULL, *version_text = NULL;
  g_autofree char *actor = int_text (call->session->user_id);
  gint64 id = 0, version = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &id);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &version);
  if (id == call->session->user_id)
    srv_params_error (&p, "id", "an administrator cannot disable their own account");
  if (!srv_params_finish (&p))
    return;
  id_text = int_text (id);
  version_text = int_text (version);
  {
    const char *params[] = { id_text, version_text, actor, call->session->username, call->peer };
    rows = srv_db_exec (db, SRV_Q_USER_DISABLE, params, &error);
  }
  finish_versioned (call, rows, error, FALSE, NULL);
}

void
srv_handle_user_reset_password (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *id_text = NULL, *version_text = NULL, *policy = NULL, *hash = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *actor = int_text (call->session->user_id);
  const char *password;
  gint64 id = 0, version = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &id);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &version);
  password = srv_params_string (&p, "password", FALSE, 0, 1024);
  if (password != NULL && id > 0)
    {
      /* The same policy as user.create and auth.change_password, the
       * account's own name included. */
      static const SrvQueryDef q_username
          = { "user_username", "SELECT username FROM users WHERE id = $1::bigint", 1 };
      g_autofree char *target = int_text (id);
      const char *params[] = { target };
      g_autoptr (SrvRows) found = srv_db_exec_def (db, &q_username, params, &error);

      const char *rule = NULL;
      JsonObject *rule_data = NULL;

      if (found != NULL)
        policy = srv_password_check_policy_rule (
            call->ctx->password, password, found->n_rows == 1 ? srv_rows_get (found, 0, 0) : NULL,
            &rule, &rule_data);
      if (policy != NULL)
        srv_params_error_rule (&p, "password", rule, rule_data, policy);
    }
  if (!srv_params_finish (&p))
    return;
  if (error != NULL)
    {
      srv_call_set_db_error (call, error);
      return;
    }
  /* An approver's reset waits for a second administrator. */
  switch (srv_admin_four_eyes_request (call, db, "reset_password", id))
    {
      case SRV_FOUR_EYES_FAILED:
      case SRV_FOUR_EYES_REQUESTED:
        return;
      case SRV_FOUR_EYES_NOT_NEEDED:
        break;
    }
  if (password == NULL)
    password = generated = srv_admin_generate_password ();
  hash = password != NULL ? srv_password_hash (call->ctx->password, password) : NULL;
  if (hash == NULL)
    {
      g_autoptr (GError) e = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                                                  "could not hash the new password");
      srv_call_set_db_error (call, e);
      return;
    }
  id_text = int_text (id);
  version_text = int_text (version);
  {
    const char *params[]
        = { id_text, version_text, hash, actor, call->session->username, call->peer };
    rows = srv_db_exec (db, SRV_Q_USER_RESET_PASSWORD, params, &error);
  }
  finish_versioned (call, rows, error, TRUE, generated);
}

/* org.* */

void
srv_handle_org_list (SrvCall *call, SrvDbConn *db)
{
  static const char *const kinds[] = { "ministry", "ministry_department", "regional_centre",
                                       "province", "province_department", "promotion_centre",
                                       NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL, *scope = NULL, *limit_text = NULL;
  const char *kind, *at, *cursor;
  gboolean found = FALSE;
  gint64 limit = 100;
  SrvParams p;

  srv_params_init (&p, call);
  kind = srv_params_enum (&p, "kind", FALSE, kinds);
  at = srv_params_date (&p, "at", FALSE);
  srv_params_page (&p, &limit, &cursor);
  if (!srv_params_finish (&p))
    return;
  if (call->session->scope_root > 0)
    scope = int_text (call->session->scope_root);
  limit_text = int_text (limit);
  {
    const char *params[] = { scope, kind, at, cursor, limit_text };
    json = srv_db_exec_json (db, SRV_Q_ORG_LIST, params, &found, &error);
  }
  if (json == NULL)
    srv_call_set_db_error (call, error);
  else
    srv_call_set_result (call, g_steal_pointer (&json));
}

/* audit.* */

static const char *
instant_param (SrvParams *p, const char *name)
{
  const char *text = srv_params_string (p, name, FALSE, 1, 40);
  g_autoptr (GDateTime) parsed = NULL;

  if (text == NULL)
    return NULL;
  parsed = kc_instant_parse (text);
  if (parsed == NULL)
    {
      srv_params_error (p, name, "must be an RFC 3339 instant, e.g. 2026-01-31T00:00:00Z");
      return NULL;
    }
  return text;
}

void
srv_handle_audit_list (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL, *user = NULL, *record = NULL, *limit_text = NULL;
  const char *record_type, *method, *from, *to, *cursor;
  gboolean found = FALSE;
  gint64 user_id = 0, record_id = 0, limit = 100;
  SrvParams p;

  srv_params_init (&p, call);
  if (srv_params_int64 (&p, "user_id", FALSE, 1, G_MAXINT64, &user_id))
    user = int_text (user_id);
  record_type = srv_params_string (&p, "record_type", FALSE, 1, 64);
  if (srv_params_int64 (&p, "record_id", FALSE, 1, G_MAXINT64, &record_id))
    record = int_text (record_id);
  method = srv_params_string (&p, "method", FALSE, 1, 64);
  from = instant_param (&p, "from");
  to = instant_param (&p, "to");
  srv_params_page (&p, &limit, &cursor);
  if (!srv_params_finish (&p))
    return;
  limit_text = int_text (limit);
  {
    const char *params[] = { cursor, user, record_type, record, method, from, to, limit_text };
    /* entries get their seq when sealed (sql/0003): seal every committed one
     * first, so that the list shows every write answered before it */
    g_autoptr (SrvRows) sealed = srv_db_exec (db, SRV_Q_AUDIT_SEAL, NULL, &error);
    if (sealed != NULL)
      json = srv_db_exec_json (db, SRV_Q_AUDIT_LIST, params, &found, &error);
  }
  if (json == NULL)
    srv_call_set_db_error (call, error);
  else
    srv_call_set_result (call, g_steal_pointer (&json));
}
