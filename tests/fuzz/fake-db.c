/*
 * fake-db.c — the srv-db.h calls a handler makes, for fuzz-params: no
 * PostgreSQL, every statement refused as if the database were down (1050).
 * So a handler runs its parameter validation for real and stops at its
 * first statement, whose text parameters are checked on the way: what
 * validation let through must at least be UTF-8 text PostgreSQL accepts.
 */
#include "srv-db.h"

#include <string.h>

struct _SrvDbConn
{
  int unused;
};

static SrvDbConn fake_conn;

SrvDbConn *kc_fuzz_fake_db (void);

SrvDbConn *
kc_fuzz_fake_db (void)
{
  return &fake_conn;
}

GQuark
srv_db_error_quark (void)
{
  return g_quark_from_static_string ("srv-db-error-quark");
}

static void
refuse (const SrvQueryDef *def, const char *const *params, GError **error)
{
  g_assert (def != NULL && def->name != NULL);
  for (int i = 0; params != NULL && i < def->n_params; i++)
    if (params[i] != NULL && !g_utf8_validate (params[i], -1, NULL))
      g_error ("statement %s: parameter $%d is not UTF-8", def->name, i + 1);
  g_set_error_literal (error, SRV_DB_ERROR, SRV_DB_ERROR_UNAVAILABLE, "fuzzing: no database");
}

SrvRows *
srv_db_exec_def (SrvDbConn *conn, const SrvQueryDef *def, const char *const *params, GError **error)
{
  g_assert (conn == &fake_conn);
  refuse (def, params, error);
  return NULL;
}

SrvRows *
srv_db_exec (SrvDbConn *conn, SrvQuery query, const char *const *params, GError **error)
{
  return srv_db_exec_def (conn, srv_db_query_def (query), params, error);
}

char *
srv_db_exec_def_json (SrvDbConn *conn, const SrvQueryDef *def, const char *const *params,
                      gboolean *found, GError **error)
{
  g_assert (conn == &fake_conn);
  *found = FALSE;
  refuse (def, params, error);
  return NULL;
}

char *
srv_db_exec_json (SrvDbConn *conn, SrvQuery query, const char *const *params, gboolean *found,
                  GError **error)
{
  return srv_db_exec_def_json (conn, srv_db_query_def (query), params, found, error);
}

gboolean
srv_db_begin (SrvDbConn *conn, GError **error)
{
  return srv_db_exec (conn, SRV_Q_BEGIN, NULL, error) != NULL;
}

gboolean
srv_db_commit (SrvDbConn *conn, GError **error)
{
  return srv_db_exec (conn, SRV_Q_COMMIT, NULL, error) != NULL;
}

void
srv_db_rollback (SrvDbConn *conn)
{
}

void
srv_db_submit (SrvDb *db, SrvDbWorkFunc work, SrvDbDoneFunc done, gpointer data)
{
  g_error ("a handler submitted a database job while being fuzzed");
}

void
srv_rows_free (SrvRows *rows)
{
  g_assert (rows == NULL);
}

const char *
srv_rows_get (const SrvRows *rows, guint row, guint col)
{
  g_error ("no rows exist while fuzzing");
  return NULL;
}

gint64
srv_rows_get_int64 (const SrvRows *rows, guint row, guint col)
{
  g_error ("no rows exist while fuzzing");
  return 0;
}

gboolean
srv_rows_get_bool (const SrvRows *rows, guint row, guint col)
{
  g_error ("no rows exist while fuzzing");
  return FALSE;
}
