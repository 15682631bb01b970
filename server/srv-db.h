/*
 * srv-db.h — the PostgreSQL side of kc-server: a pool of connections opened
 * ahead of time, each owned by one worker thread while it runs a job.
 *
 * Model: handlers are plain synchronous code that runs on a worker thread
 * with a SrvDbConn (so a transaction reads top to bottom); the main loop
 * never waits on the database. srv_db_submit() queues a job; its @done
 * callback runs back on the main context. Only srv-db*.c include libpq.
 *
 * All SQL is named and parameterised (the core's in srv-db-queries.c, each
 * family's as SrvQueryDefs beside its handlers); results come back
 * as SrvRows (copied strings), usually one JSON text built by PostgreSQL
 * that the reply embeds as it is.
 */
#pragma once

#include <glib.h>

#include "srv-config.h"

G_BEGIN_DECLS

#define SRV_DB_ERROR (srv_db_error_quark ())
GQuark srv_db_error_quark (void);

typedef enum
{
  SRV_DB_ERROR_UNAVAILABLE,   /* no connection to the database (→ 1050) */
  SRV_DB_ERROR_UNIQUE,        /* 23505 */
  SRV_DB_ERROR_FOREIGN_KEY,   /* 23503 */
  SRV_DB_ERROR_CHECK,         /* 23514, 23502, 22xxx data errors */
  SRV_DB_ERROR_SERIALIZATION, /* 40001, 40P01: retry the transaction */
  SRV_DB_ERROR_BAD_STATUS,    /* a status machine trigger refused: SQLSTATE KC010 */
  SRV_DB_ERROR_RULE,          /* raised by our triggers: SQLSTATE KC0xx */
  SRV_DB_ERROR_FAILED,        /* anything else: an internal error */
} SrvDbError;

typedef struct _SrvDb SrvDb;
typedef struct _SrvDbConn SrvDbConn;

/* Rows of a result, as text (transfer full to whoever holds the SrvRows). */
typedef struct
{
  guint n_rows;
  guint n_cols;
  char **values; /* n_rows * n_cols, NULL for SQL NULL */
} SrvRows;

void srv_rows_free (SrvRows *rows);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrvRows, srv_rows_free)
/* (transfer none) (nullable) */
const char *srv_rows_get (const SrvRows *rows, guint row, guint col);
gint64 srv_rows_get_int64 (const SrvRows *rows, guint row, guint col);
gboolean srv_rows_get_bool (const SrvRows *rows, guint row, guint col);

typedef void (*SrvDbWorkFunc) (SrvDbConn *conn, gpointer data);
typedef void (*SrvDbDoneFunc) (gpointer data);

/* Opens @config->pool_size connections now; failures are logged and the
 * connections retried when used, so the server starts without a database. */
SrvDb *srv_db_new (const SrvConfig *config);
/* Waits for running jobs, closes connections. */
void srv_db_free (SrvDb *db);
/* @db's connections learn of @other's reconnects as of their own pool's
 * (after an outage, the first connection of either pool that reaches the
 * database lets the others of both retry at once instead of waiting out
 * their second): two pools on one database. @other outlives @db. */
void srv_db_share_reconnects (SrvDb *db, SrvDb *other);

/* Runs @work on a worker thread with a connection, then @done on the main
 * context. @data is passed to both and owned by the caller. */
void srv_db_submit (SrvDb *db, SrvDbWorkFunc work, SrvDbDoneFunc done, gpointer data);

/* Runs @work with a NULL connection on the CPU pool (at most
 * hash_concurrency threads), then @done on the main context. */
void srv_db_submit_cpu (SrvDb *db, SrvDbWorkFunc work, SrvDbDoneFunc done, gpointer data);

/* Jobs queued or running (for shutdown and metrics). */
guint srv_db_pending (SrvDb *db);

#include "srv-db-queries.h"

/* On the main context of srv_db_new(), without a worker: when a free
 * connection is connected, idle and has @def prepared already, sends @def
 * with @params on it (libpq's asynchronous API) and returns TRUE; @done
 * then runs on the main context with the rows, or NULL and the error
 * (both transfer full), as srv_db_exec_def() would give them. FALSE: no
 * such connection now; nothing was sent (run it on a worker instead, which
 * also prepares it there). Only for a read of one statement outside a
 * transaction (issue 20: no thread hand-off). */
typedef void (*SrvDbAsyncDoneFunc) (SrvRows *rows, GError *error, gpointer data);
gboolean srv_db_send_async (SrvDb *db, const SrvQueryDef *def, const char *const *params,
                            SrvDbAsyncDoneFunc done, gpointer data);

/* Worker-side calls (only inside a SrvDbWorkFunc). */

/* Executes the named statement @query with @n_params text parameters
 * (NULL = SQL NULL). Returns the rows, or NULL with @error set. */
SrvRows *srv_db_exec (SrvDbConn *conn, SrvQuery query, const char *const *params, GError **error);
/* Single JSON value: the first column of the first row (transfer full), or
 * NULL with *@found FALSE when there is no row. */
char *srv_db_exec_json (SrvDbConn *conn, SrvQuery query, const char *const *params, gboolean *found,
                        GError **error);

/* The same for a statement defined by a handler family in its own file
 * (static const SrvQueryDef; its name must be unique in the server). */
SrvRows *srv_db_exec_def (SrvDbConn *conn, const SrvQueryDef *def, const char *const *params,
                          GError **error);
char *srv_db_exec_def_json (SrvDbConn *conn, const SrvQueryDef *def, const char *const *params,
                            gboolean *found, GError **error);

gboolean srv_db_begin (SrvDbConn *conn, GError **error);
gboolean srv_db_commit (SrvDbConn *conn, GError **error);
/* Best effort; never fails visibly (a broken connection is reset later). */
void srv_db_rollback (SrvDbConn *conn);

/* For subcommands (migrate, create-admin): a blocking connection on the
 * calling thread, outside the pool. */
SrvDbConn *srv_db_conn_open (const SrvConfig *config, GError **error);
void srv_db_conn_close (SrvDbConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrvDbConn, srv_db_conn_close)
/* Runs an SQL script (several statements, no parameters) — migrations only. */
gboolean srv_db_exec_script (SrvDbConn *conn, const char *sql, GError **error);

/* The message of the last database error, without SQL or data (for logs). */

G_END_DECLS
