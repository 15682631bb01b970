/*
 * srv-db-queries.c — the statements of the core (sessions, users, audit,
 * migrations), by name. Each method family keeps its own beside its
 * handlers (static const SrvQueryDef in srv-handler-<family>.c, run with
 * srv_db_exec_def), so a handler and its SQL read on one screen.
 *
 * Statements that change data write their audit row in the same statement
 * (a data-modifying CTE), so a change and its audit entry are one atomic
 * round trip. Results that go to a client are built as JSON by PostgreSQL
 * and embedded in the reply as they are.
 */
#include "srv-db-queries.h"

#include <glib.h>

static const SrvQueryDef queries[SRV_Q__COUNT] = {
  [SRV_Q_BEGIN] = { "begin", "BEGIN", 0 },
  [SRV_Q_COMMIT] = { "commit", "COMMIT", 0 },

  [SRV_Q_MIGRATIONS_TABLE]
  = { "migrations_table",
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version integer PRIMARY KEY, name text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL)",
      0 },
  /* One migrator at a time, whichever server runs it. */
  [SRV_Q_MIGRATIONS_LOCK] = { "migrations_lock", "SELECT pg_advisory_xact_lock(8474001)", 0 },
  [SRV_Q_MIGRATIONS_LIST]
  = { "migrations_list", "SELECT version, name FROM schema_migrations ORDER BY version", 0 },
  [SRV_Q_MIGRATIONS_RECORD]
  = { "migrations_record",
      "INSERT INTO schema_migrations (version, name, applied_by) VALUES ($1::int, $2, $3)", 3 },

  /* Counts the attempt before anything is verified (sql/0024): no row
   * of attempt_id means throttled, retry_after says for how long. */
  [SRV_Q_LOGIN_ATTEMPT]
  = { "login_attempt",
      "SELECT user_id, username, full_name, role, org_id, password_hash, disabled,"
      " must_change_password, scope_root, attempt_id, retry_after, user_version"
      " FROM kc_login_attempt($1, $2, $3::interval, $4::int, $5::int, $6::int, $7)",
      7 },
  [SRV_Q_LOGIN_FAILED]
  = { "login_failed", "SELECT kc_login_failed($1::bigint, $2, $3, $4::bigint, $5, $6)", 6 },
  [SRV_Q_AUDIT_REFUSAL]
  = { "audit_refusal", "SELECT kc_audit_refusal($1::bigint, $2, $3, $4, $5::int)", 5 },
  [SRV_Q_LOGIN_RELEASE] = { "login_release", "SELECT kc_login_release($1::bigint)", 1 },
  /* The account as it is now, locked against change until the session row
   * commits: a disable or demotion either lands before (the version moved)
   * or waits and then revokes the new session with the others. */
  [SRV_Q_LOGIN_RECHECK] = { "login_recheck",
                            "SELECT version FROM users WHERE id = $1::bigint"
                            " AND disabled_at IS NULL FOR SHARE",
                            1 },
  [SRV_Q_SESSION_OPEN]
  = { "session_open",
      "WITH s AS (SELECT * FROM kc_session_open($1::bigint, $2::bytea, $3, $4::interval, "
      "$5::interval)),"
      " a AS (SELECT kc_audit($1::bigint, $6, $3, 'auth.login', 'session', s.session_id, NULL,"
      "       jsonb_build_object('result', 'success')) AS seq FROM s)"
      " SELECT s.session_id, kc_instant(s.expires_at), extract(epoch FROM s.expires_at - "
      "now())::bigint"
      " FROM s, a",
      6 },
  [SRV_Q_SESSION_RESUME]
  = { "session_resume",
      "SELECT session_id, kc_instant(expires_at), extract(epoch FROM expires_at - now())::bigint,"
      " extract(epoch FROM idle_timeout)::bigint, user_id, username, full_name, role, org_id,"
      " kc_scope_root(org_id), must_change_password"
      " FROM kc_session_resume($1::bytea)",
      1 },
  [SRV_Q_SESSION_REVOKE]
  = { "session_revoke",
      "WITH s AS (UPDATE sessions SET revoked_at = now(), revoked_reason = 'logout'"
      "           WHERE id = $1::bigint AND revoked_at IS NULL RETURNING id)"
      " SELECT kc_audit($2::bigint, $3, $4, 'auth.logout', 'session', s.id, NULL, NULL) FROM s",
      4 },
  [SRV_Q_SESSION_TOUCH] = { "session_touch",
                            "UPDATE sessions SET last_seen_at = now()"
                            " WHERE id = ANY ($1::bigint[]) AND revoked_at IS NULL",
                            1 },
  [SRV_Q_SESSIONS_DEAD]
  = { "sessions_dead",
      "SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id"
      " WHERE s.id = ANY ($1::bigint[])"
      " AND (s.revoked_at IS NOT NULL OR s.expires_at <= now() OR u.disabled_at IS NOT NULL)",
      1 },
  [SRV_Q_SET_KEEP_SESSION]
  = { "set_keep_session", "SELECT set_config('kc.keep_session', $1, true)", 1 },
  [SRV_Q_USER_PASSWORD_HASH]
  = { "user_password_hash",
      "SELECT password_hash, version FROM users WHERE id = $1::bigint FOR UPDATE", 1 },
  [SRV_Q_USER_SET_PASSWORD]
  = { "user_set_password",
      "WITH u AS (UPDATE users SET password_hash = $2, must_change_password = false,"
      "           version = version + 1 WHERE id = $1::bigint RETURNING users)"
      " SELECT kc_audit($1::bigint, $3, $4, 'auth.change_password', 'user', $1::bigint,"
      "                 NULL, jsonb_build_object('version', (u.users).version)) FROM u",
      4 },

  [SRV_Q_AUDIT]
  = { "audit", "SELECT kc_audit($1::bigint, $2, $3, $4, $5, $6::bigint, $7::jsonb, $8::jsonb)", 8 },
  [SRV_Q_AUDIT_VERIFY]
  = { "audit_verify",
      "SELECT first_bad_seq, reason, (SELECT seq FROM audit_head) FROM kc_audit_verify()"
      " UNION ALL SELECT NULL, NULL, (SELECT seq FROM audit_head) LIMIT 1",
      0 },
  /* Every committed audit row chained, waiting for another sealer if need
   * be: before audit.list and verify-audit read (sql/0003). */
  [SRV_Q_AUDIT_SEAL] = { "audit_seal", "SELECT kc_audit_seal(true)", 0 },
  /* The background step, ten times a second (srv-audit-seal.c): seal what
   * has committed unless another server is at it, and send the committed
   * events (sql/0014). */
  [SRV_Q_SEAL_PUBLISH] = { "seal_publish", "SELECT kc_audit_seal(false), kc_event_publish()", 0 },
  [SRV_Q_AUDIT_LIST]
  = { "audit_list",
      "WITH page AS ("
      "  SELECT c.seq, a.at, a.user_id, a.username, a.peer, a.method, a.record_type, a.record_id,"
      "         a.before, a.after"
      /* an entry's seq is its chain row's (sql/0052): the list shows sealed
       * entries, and the handler seals every committed one first */
      "  FROM audit_chain c JOIN audit_log a ON a.id = c.audit_id"
      "  WHERE ($1::bigint IS NULL OR c.seq < $1::bigint)"
      "    AND ($2::bigint IS NULL OR user_id = $2::bigint)"
      "    AND ($3::text IS NULL OR record_type = $3)"
      "    AND ($4::bigint IS NULL OR record_id = $4::bigint)"
      "    AND ($5::text IS NULL OR method = $5)"
      "    AND ($6::timestamptz IS NULL OR at >= $6::timestamptz)"
      "    AND ($7::timestamptz IS NULL OR at < $7::timestamptz)"
      "  ORDER BY seq DESC LIMIT $8::int + 1),"
      " shown AS (SELECT * FROM page ORDER BY seq DESC LIMIT $8::int)"
      " SELECT json_build_object("
      "  'items', coalesce((SELECT json_agg(json_build_object("
      "     'seq', seq, 'at', kc_instant(at), 'user_id', user_id, 'username', username,"
      "     'peer', peer, 'method', method, 'record_type', record_type, 'record_id', record_id,"
      "     'record_name', kc_audit_record_name(record_type, record_id),"
      "     'before', before, 'after', after) ORDER BY seq DESC) FROM shown), '[]'::json),"
      "  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $8::int"
      "                 THEN (SELECT min(seq) FROM shown)::text END)",
      8 },

  [SRV_Q_USER_CREATE]
  = { "user_create",
      "WITH u AS (INSERT INTO users (username, full_name, role, org_id, password_hash,"
      "           must_change_password, email, phone)"
      "           VALUES (lower($1), $2, $3, $4::bigint, $5, $6::boolean, $7, $8)"
      "           RETURNING kc_user_json(users) AS j, id),"
      " a AS (SELECT kc_audit($9::bigint, $10, $11, 'user.create', 'user', u.id, NULL, u.j) AS seq"
      "       FROM u)"
      " SELECT u.j::text FROM u, a",
      11 },
  [SRV_Q_USER_GET]
  = { "user_get", "SELECT kc_user_json(u)::text FROM users u WHERE u.id = $1::bigint", 1 },
  [SRV_Q_USER_LIST] = { "user_list",
                        "WITH page AS ("
                        "  SELECT u FROM users u"
                        "  WHERE ($1::bigint IS NULL OR u.id > $1::bigint)"
                        "    AND ($2::bigint IS NULL OR u.org_id = $2::bigint)"
                        "    AND ($3::text IS NULL OR u.role = $3)"
                        "    AND ($4::text IS NULL OR u.username ILIKE '%' || $4 || '%' OR "
                        "u.full_name ILIKE '%' || $4 || '%')"
                        "    AND ($5::boolean OR u.disabled_at IS NULL)"
                        "  ORDER BY u.id LIMIT $6::int + 1),"
                        " shown AS (SELECT u FROM page ORDER BY (u).id LIMIT $6::int)"
                        " SELECT json_build_object("
                        "  'items', coalesce((SELECT json_agg(kc_user_json(u) ORDER BY (u).id) "
                        "FROM shown), '[]'::json),"
                        "  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $6::int"
                        "                 THEN (SELECT max((u).id) FROM shown)::text END)",
                        6 },
  [SRV_Q_USER_UPDATE]
  = { "user_update",
      "WITH cur AS (SELECT u, u.version FROM users u WHERE u.id = $1::bigint FOR UPDATE),"
      " upd AS (UPDATE users SET full_name = coalesce($3, full_name), role = coalesce($4, role),"
      "         org_id = coalesce($5::bigint, org_id),"
      "         email = CASE WHEN $6::boolean THEN $7 ELSE email END,"
      "         phone = CASE WHEN $8::boolean THEN $9 ELSE phone END,"
      "         disabled_at = CASE WHEN $10::boolean IS NULL THEN disabled_at"
      "                            WHEN $10::boolean THEN coalesce(disabled_at, now()) ELSE NULL "
      "END,"
      "         version = users.version + 1"
      "         FROM cur WHERE users.id = $1::bigint AND cur.version = $2::int"
      "         RETURNING kc_user_json(users) AS j),"
      " a AS (SELECT kc_audit($11::bigint, $12, $13, 'user.update', 'user', $1::bigint,"
      "       kc_user_json((SELECT u FROM cur)), upd.j) AS seq FROM upd)"
      " SELECT (SELECT version FROM cur), (SELECT upd.j::text FROM upd, a)",
      13 },
  [SRV_Q_USER_DISABLE]
  = { "user_disable",
      "WITH cur AS (SELECT u, u.version FROM users u WHERE u.id = $1::bigint FOR UPDATE),"
      " upd AS (UPDATE users SET disabled_at = coalesce(disabled_at, now()), version = "
      "users.version + 1"
      "         FROM cur WHERE users.id = $1::bigint AND cur.version = $2::int"
      "         RETURNING kc_user_json(users) AS j),"
      " a AS (SELECT kc_audit($3::bigint, $4, $5, 'user.disable', 'user', $1::bigint,"
      "       kc_user_json((SELECT u FROM cur)), upd.j) AS seq FROM upd)"
      " SELECT (SELECT version FROM cur), (SELECT upd.j::text FROM upd, a)",
      5 },
  [SRV_Q_USER_RESET_PASSWORD]
  = { "user_reset_password",
      "WITH cur AS (SELECT u, u.version FROM users u WHERE u.id = $1::bigint FOR UPDATE),"
      " upd AS (UPDATE users SET password_hash = $3, must_change_password = true,"
      "         version = users.version + 1"
      "         FROM cur WHERE users.id = $1::bigint AND cur.version = $2::int"
      "         RETURNING kc_user_json(users) AS j),"
      " a AS (SELECT kc_audit($4::bigint, $5, $6, 'user.reset_password', 'user', $1::bigint,"
      "       NULL, jsonb_build_object('version', upd.j->'version')) AS seq FROM upd)"
      " SELECT (SELECT version FROM cur), (SELECT upd.j::text FROM upd, a)",
      6 },
  [SRV_Q_USER_EXISTS] = { "user_exists", "SELECT id FROM users WHERE username = lower($1)", 1 },

  [SRV_Q_ORG_LIST]
  = { "org_list",
      "WITH page AS ("
      "  SELECT o.* FROM orgs o"
      "  WHERE ($1::bigint IS NULL OR o.id IN (SELECT kc_org_visible($1::bigint)))"
      "    AND ($2::text IS NULL OR o.kind = $2)"
      "    AND ($3::date IS NULL OR (o.valid_from <= $3::date"
      "                              AND (o.valid_to IS NULL OR o.valid_to >= $3::date)))"
      "    AND ($4::bigint IS NULL OR o.id > $4::bigint)"
      "  ORDER BY o.id LIMIT $5::int + 1),"
      " shown AS (SELECT * FROM page ORDER BY id LIMIT $5::int)"
      " SELECT json_build_object("
      "  'items', coalesce((SELECT json_agg(json_build_object("
      "     'id', id, 'code', code, 'name', name, 'name_en', name_en, 'kind', kind,"
      "     'parent_id', parent_id, 'province_code', province_code,"
      "     'valid_from', valid_from, 'valid_to', valid_to, 'version', version) ORDER BY id)"
      "     FROM shown), '[]'::json),"
      "  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $5::int"
      "                 THEN (SELECT max(id) FROM shown)::text END)",
      5 },
  [SRV_Q_ORG_DEFAULT_ADMIN]
  = { "org_default_admin",
      "SELECT id FROM orgs WHERE (kind = 'ministry_department' AND code = 'BCT.CKC')"
      " OR kind = 'ministry' ORDER BY kind = 'ministry', id LIMIT 1",
      0 },
};

const SrvQueryDef *
srv_db_query_def (SrvQuery query)
{
  g_return_val_if_fail (query < SRV_Q__COUNT, NULL);
  return &queries[query];
}
