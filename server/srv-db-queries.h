/*
 * srv-db-queries.h — names of the core's SQL statements (the families'
 * own are SrvQueryDefs beside their handlers). The text lives in
 * srv-db-queries.c; each connection prepares a statement the first time it
 * uses it.
 */
#pragma once

typedef enum
{
  SRV_Q_BEGIN,
  SRV_Q_COMMIT,
  /* migrations */
  SRV_Q_MIGRATIONS_TABLE,
  SRV_Q_MIGRATIONS_LOCK,
  SRV_Q_MIGRATIONS_LIST,
  SRV_Q_MIGRATIONS_RECORD,
  /* auth */
  SRV_Q_LOGIN_ATTEMPT,
  SRV_Q_LOGIN_FAILED,
  SRV_Q_LOGIN_RELEASE,
  SRV_Q_AUDIT_REFUSAL,
  SRV_Q_LOGIN_RECHECK,
  SRV_Q_SESSION_OPEN,
  SRV_Q_SESSION_RESUME,
  SRV_Q_SESSION_REVOKE,
  SRV_Q_SESSION_TOUCH,
  SRV_Q_SESSIONS_DEAD,
  SRV_Q_SET_KEEP_SESSION,
  SRV_Q_USER_PASSWORD_HASH,
  SRV_Q_USER_SET_PASSWORD,
  /* audit */
  SRV_Q_AUDIT,
  SRV_Q_AUDIT_VERIFY,
  SRV_Q_AUDIT_LIST,
  SRV_Q_AUDIT_SEAL,
  SRV_Q_SEAL_PUBLISH,
  /* users */
  SRV_Q_USER_CREATE,
  SRV_Q_USER_GET,
  SRV_Q_USER_LIST,
  SRV_Q_USER_UPDATE,
  SRV_Q_USER_DISABLE,
  SRV_Q_USER_RESET_PASSWORD,
  SRV_Q_USER_EXISTS,
  /* organisations */
  SRV_Q_ORG_LIST,
  SRV_Q_ORG_DEFAULT_ADMIN,
  SRV_Q__COUNT
} SrvQuery;

typedef struct
{
  const char *name;
  const char *sql;
  int n_params;
} SrvQueryDef;

const SrvQueryDef *srv_db_query_def (SrvQuery query);
