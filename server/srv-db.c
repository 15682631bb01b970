/*
 * srv-db.c — connection pool, worker threads, SQLSTATE → SrvDbError.
 *
 * There are exactly pool_size connections and pool_size worker threads;
 * a worker pops a free connection for each job, so a job never waits for
 * a connection while another is idle. A connection that broke is reset on
 * its next use, at most once a second, so that while PostgreSQL is down
 * requests fail fast with SRV_DB_ERROR_UNAVAILABLE instead of piling up.
 * Once any connection of the pool connects again, the others stop waiting
 * out their second (the database is evidently back), and a worker prefers
 * a live free connection over one known to be broken.
 *
 * A read of one statement already prepared may also run without a worker
 * (srv_db_send_async, issue 20): the main loop takes a free connection,
 * sends the statement with libpq's asynchronous API, watches the
 * connection's socket in the same loop and gets the rows back there. That
 * saves the two thread hand-offs of a worker job (main loop → worker →
 * main loop), each a wake-up and a context switch.
 */
#include "srv-db.h"

#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <libpq-fe.h>

#include "srv-log.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

struct _SrvDbConn
{
  PGconn *pg;
  char *conninfo;
  guint connect_timeout;
  guint statement_timeout;
  gint64 last_attempt_us;
  gboolean in_transaction; /* between srv_db_begin() and commit/rollback */
  GHashTable *prepared;    /* SrvQueryDef* prepared on this connection */
  /* The pool's time of the last successful connect (atomic; NULL for a
   * connection outside a pool). Owned by the SrvDb. */
  _Atomic gint64 *pool_connected_us;

  /* An asynchronous statement in flight (main context only): its socket's
   * tag in the SrvDb's async source, the first result, whom to tell. */
  gpointer async_tag;
  PGresult *async_res;
  SrvDbAsyncDoneFunc async_done;
  gpointer async_data;
  const char *async_what; /* the statement's name, for errors */
};

struct _SrvDb
{
  GThreadPool *workers;
  GThreadPool *cpu_workers;
  GAsyncQueue *free_conns;
  GMainContext *main_context;
  GPtrArray *conns;
  gint pending;                /* atomic */
  _Atomic gint64 connected_us; /* see SrvDbConn.pool_connected_us */
  GSource *async_source;       /* watches the sockets of srv_db_send_async */
  guint async_in_flight;       /* main context only */
};

typedef struct
{
  SrvDb *db;
  SrvDbWorkFunc work;
  SrvDbDoneFunc done;
  gpointer data;
} Job;

GQuark
srv_db_error_quark (void)
{
  return g_quark_from_static_string ("srv-db-error-quark");
}

/* Helpers */

/* Server NOTICEs ("relation already exists, skipping") are for humans at a
 * psql prompt; in a daemon they would only garble the log. */
static void
ignore_notice (void *arg, const char *message)
{
}

static gboolean
connect_conn (SrvDbConn *conn, GError **error)
{
  g_autofree char *timeout = g_strdup_printf ("%u", conn->connect_timeout);
  g_autofree char *options = g_strdup_printf ("-c TimeZone=UTC -c statement_timeout=%u "
                                              "-c idle_in_transaction_session_timeout=60000",
                                              conn->statement_timeout);
  const char *keys[]
      = { "dbname", "connect_timeout", "application_name", "options", "client_encoding", NULL };
  const char *values[] = { conn->conninfo, timeout, "kc-server", options, "UTF8", NULL };

  if (conn->pg != NULL)
    PQfinish (conn->pg);
  g_hash_table_remove_all (conn->prepared);
  conn->last_attempt_us = g_get_monotonic_time ();
  /* expand_dbname: the first "dbname" is the whole conninfo string, and
   * the later keys override what it says about timeouts and options. */
  conn->pg = PQconnectdbParams (keys, values, 1);
  PQsetNoticeProcessor (conn->pg, ignore_notice, NULL);
  if (PQstatus (conn->pg) != CONNECTION_OK)
    {
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (conn->pg)));
      g_set_error (error, SRV_DB_ERROR, SRV_DB_ERROR_UNAVAILABLE,
                   "could not connect to the database: %s", message);
      return FALSE;
    }
  if (conn->pool_connected_us != NULL)
    atomic_store (conn->pool_connected_us, conn->last_attempt_us);
  return TRUE;
}

/* A connection whose server went away (restart, crash, failover) looks
 * fine to libpq until it is used; the server's goodbye, or the EOF, is
 * already waiting on the socket though. Looking costs one poll(), and
 * catching it here means the first request after an outage is served on a
 * fresh connection instead of failing. Only between transactions: inside
 * one, a lost connection must fail the whole transaction. */
static void
notice_closed_connection (SrvDbConn *conn)
{
  struct pollfd pfd = { .fd = PQsocket (conn->pg), .events = POLLIN };

  if (PQtransactionStatus (conn->pg) != PQTRANS_IDLE || pfd.fd < 0)
    return;
  /* Pool connections LISTEN to nothing, so between transactions the
   * server has nothing to say but goodbye (a FATAL message, then EOF):
   * anything readable means the connection is finished. */
  if (poll (&pfd, 1, 0) > 0)
    {
      srv_log_info ("a database connection was closed by the server; reconnecting");
      PQfinish (conn->pg);
      conn->pg = NULL;
    }
}

/* Another connection of the pool connected after this one last failed:
 * the database is back, so this one need not wait out its pause. */
static gboolean
pool_reconnected_since (const SrvDbConn *conn)
{
  return conn->pool_connected_us != NULL
         && atomic_load (conn->pool_connected_us) > conn->last_attempt_us;
}

static gboolean
connection_usable (const SrvDbConn *conn)
{
  return conn->pg != NULL && PQstatus (conn->pg) == CONNECTION_OK;
}

static gboolean
ensure_connected (SrvDbConn *conn, GError **error)
{
  if (conn->pg != NULL && PQstatus (conn->pg) == CONNECTION_OK && !conn->in_transaction)
    notice_closed_connection (conn);
  if (conn->pg != NULL && PQstatus (conn->pg) == CONNECTION_OK)
    return TRUE;
  if (conn->pg == NULL && !conn->in_transaction)
    {
      if (!connect_conn (conn, error))
        return FALSE;
      return TRUE;
    }
  /* Never reconnect in the middle of a transaction: the rest of it would
   * silently run outside it. The whole call fails instead. */
  if (conn->in_transaction)
    {
      g_set_error_literal (error, SRV_DB_ERROR, SRV_DB_ERROR_UNAVAILABLE,
                           "the database connection was lost in a transaction");
      return FALSE;
    }
  if (conn->pg != NULL && g_get_monotonic_time () - conn->last_attempt_us < G_USEC_PER_SEC
      && !pool_reconnected_since (conn))
    {
      g_set_error_literal (error, SRV_DB_ERROR, SRV_DB_ERROR_UNAVAILABLE,
                           "the database is unreachable");
      return FALSE;
    }
  if (!connect_conn (conn, error))
    return FALSE;
  srv_log_info ("connected to the database");
  return TRUE;
}

static SrvDbError
map_sqlstate (const char *state)
{
  if (state == NULL)
    return SRV_DB_ERROR_UNAVAILABLE;
  if (g_str_equal (state, "23505"))
    return SRV_DB_ERROR_UNIQUE;
  if (g_str_equal (state, "23503"))
    return SRV_DB_ERROR_FOREIGN_KEY;
  if (g_str_equal (state, "23514") || g_str_equal (state, "23502")
      || g_str_has_prefix (state, "22"))
    return SRV_DB_ERROR_CHECK;
  if (g_str_equal (state, "40001") || g_str_equal (state, "40P01"))
    return SRV_DB_ERROR_SERIALIZATION;
  if (g_str_equal (state, "KC010"))
    return SRV_DB_ERROR_BAD_STATUS;
  if (g_str_has_prefix (state, "KC"))
    return SRV_DB_ERROR_RULE;
  /* Connection exceptions, shutdown, "cannot connect now". */
  if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P"))
    return SRV_DB_ERROR_UNAVAILABLE;
  return SRV_DB_ERROR_FAILED;
}

/* Turns a failed result into a GError; marks a broken connection. */
static void
set_result_error (SrvDbConn *conn, PGresult *res, const char *what, GError **error)
{
  const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = res != NULL ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  SrvDbError code;

  if (PQstatus (conn->pg) != CONNECTION_OK)
    code = SRV_DB_ERROR_UNAVAILABLE;
  else
    code = map_sqlstate (state);

  if (primary == NULL)
    primary = PQerrorMessage (conn->pg);
  g_set_error (error, SRV_DB_ERROR, code, "%s failed: %s%s%s%s", what,
               primary != NULL ? primary : "unknown error", state != NULL ? " (SQLSTATE " : "",
               state != NULL ? state : "", state != NULL ? ")" : "");
}

static gboolean
prepare_query (SrvDbConn *conn, const SrvQueryDef *def, GError **error)
{
  g_autoptr (PGresult) res = NULL;

  if (g_hash_table_contains (conn->prepared, def))
    return TRUE;
  res = PQprepare (conn->pg, def->name, def->sql, def->n_params, NULL);
  if (res == NULL || PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_result_error (conn, res, def->name, error);
      return FALSE;
    }
  g_hash_table_add (conn->prepared, (gpointer)def);
  return TRUE;
}

static SrvRows *
rows_from_result (PGresult *res)
{
  SrvRows *rows = g_new0 (SrvRows, 1);

  rows->n_rows = PQntuples (res);
  rows->n_cols = PQnfields (res);
  rows->values = g_new0 (char *, (gsize)rows->n_rows * rows->n_cols + 1);
  for (guint r = 0; r < rows->n_rows; r++)
    for (guint c = 0; c < rows->n_cols; c++)
      if (!PQgetisnull (res, r, c))
        rows->values[r * rows->n_cols + c]
            = g_strndup (PQgetvalue (res, r, c), PQgetlength (res, r, c));
  return rows;
}

static gboolean
job_done_cb (gpointer user_data)
{
  Job *job = user_data;

  g_atomic_int_dec_and_test (&job->db->pending);
  job->done (job->data);
  g_free (job);
  return G_SOURCE_REMOVE;
}

/* A free connection, a usable one if any is free: after an outage the
 * queue's head may be a connection still broken while others were
 * reconnected, and handing it out would fail a call for nothing. */
static SrvDbConn *
pop_free_conn (SrvDb *db)
{
  SrvDbConn *conn = g_async_queue_pop (db->free_conns);

  for (guint tries = 1; tries < db->conns->len && !connection_usable (conn); tries++)
    {
      SrvDbConn *other = g_async_queue_try_pop (db->free_conns);

      if (other == NULL)
        break;
      g_async_queue_push (db->free_conns, conn);
      conn = other;
    }
  return conn;
}

static void
worker_cb (gpointer data, gpointer user_data)
{
  Job *job = data;
  SrvDb *db = user_data;
  SrvDbConn *conn = pop_free_conn (db);

  job->work (conn, job->data);
  /* A handler that returned inside a transaction is a bug; never let its
   * locks and half-done work leak into the next job. */
  if (conn->in_transaction)
    {
      srv_log_error ("a handler left a transaction open; rolling it back");
      srv_db_rollback (conn);
    }
  g_async_queue_push (db->free_conns, conn);
  g_main_context_invoke (db->main_context, job_done_cb, job);
}

static void
cpu_worker_cb (gpointer data, gpointer user_data)
{
  Job *job = data;
  SrvDb *db = user_data;

  job->work (NULL, job->data);
  g_main_context_invoke (db->main_context, job_done_cb, job);
}

/* The main loop's side (srv_db_send_async) */

static void
async_finish (SrvDb *db, SrvDbConn *conn, gboolean broken)
{
  g_autoptr (PGresult) res = g_steal_pointer (&conn->async_res);
  g_autoptr (GError) error = NULL;
  SrvDbAsyncDoneFunc done = conn->async_done;
  gpointer data = conn->async_data;
  SrvRows *rows = NULL;
  ExecStatusType status = res != NULL ? PQresultStatus (res) : PGRES_FATAL_ERROR;

  g_source_remove_unix_fd (db->async_source, conn->async_tag);
  conn->async_tag = NULL;
  conn->async_done = NULL;
  conn->async_data = NULL;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
    rows = rows_from_result (res);
  else
    set_result_error (conn, res, conn->async_what, &error);
  if (broken)
    {
      /* Its next worker makes a new one (ensure_connected). */
      PQfinish (conn->pg);
      conn->pg = NULL;
    }
  g_async_queue_push (db->free_conns, conn);
  db->async_in_flight--;
  g_atomic_int_dec_and_test (&db->pending);
  done (rows, g_steal_pointer (&error), data);
}

/* Reads what arrived on @conn's socket; the statement is over when libpq
 * has the whole answer (every result, then none: ReadyForQuery). Never
 * blocks: PQgetResult is only called when PQisBusy says it will not. */
static void
async_read (SrvDb *db, SrvDbConn *conn)
{
  if (!PQconsumeInput (conn->pg))
    {
      /* The connection broke under the statement: its error is the answer,
       * and the next worker to take the connection makes a new one. */
      PGresult *res;

      while (!PQisBusy (conn->pg) && (res = PQgetResult (conn->pg)) != NULL)
        {
          if (conn->async_res == NULL)
            conn->async_res = res;
          else
            PQclear (res);
        }
      async_finish (db, conn, TRUE);
      return;
    }
  for (;;)
    {
      PGresult *res;

      if (PQisBusy (conn->pg))
        return;
      res = PQgetResult (conn->pg);
      if (res == NULL)
        break;
      if (conn->async_res == NULL)
        conn->async_res = res;
      else
        PQclear (res);
    }
  async_finish (db, conn, FALSE);
}

static gboolean
async_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  SrvDb *db = *(SrvDb **)(source + 1);

  for (guint i = 0; i < db->conns->len; i++)
    {
      SrvDbConn *conn = g_ptr_array_index (db->conns, i);

      if (conn->async_tag != NULL && g_source_query_unix_fd (source, conn->async_tag) != 0)
        async_read (db, conn);
    }
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs async_funcs = {
  .dispatch = async_dispatch,
};

/* Ready to take a statement from the main loop now, without a worker: no
 * reconnecting, no preparing (a worker does those). */
static gboolean
async_ready (SrvDbConn *conn, const SrvQueryDef *def)
{
  if (!connection_usable (conn) || conn->in_transaction || conn->async_tag != NULL
      || !g_hash_table_contains (conn->prepared, def))
    return FALSE;
  notice_closed_connection (conn);
  return connection_usable (conn) && PQisBusy (conn->pg) == 0;
}

static SrvDbConn *
conn_new (const SrvConfig *config)
{
  SrvDbConn *conn = g_new0 (SrvDbConn, 1);

  conn->conninfo = g_strdup (config->conninfo);
  conn->prepared = g_hash_table_new (NULL, NULL);
  conn->connect_timeout = config->connect_timeout;
  conn->statement_timeout = config->statement_timeout;
  return conn;
}

/* Public API */

void
srv_rows_free (SrvRows *rows)
{
  if (rows == NULL)
    return;
  for (gsize i = 0; i < (gsize)rows->n_rows * rows->n_cols; i++)
    g_free (rows->values[i]);
  g_free (rows->values);
  g_free (rows);
}

const char *
srv_rows_get (const SrvRows *rows, guint row, guint col)
{
  g_return_val_if_fail (row < rows->n_rows && col < rows->n_cols, NULL);
  return rows->values[row * rows->n_cols + col];
}

gint64
srv_rows_get_int64 (const SrvRows *rows, guint row, guint col)
{
  const char *text = srv_rows_get (rows, row, col);
  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

gboolean
srv_rows_get_bool (const SrvRows *rows, guint row, guint col)
{
  const char *text = srv_rows_get (rows, row, col);
  return text != NULL && text[0] == 't';
}

SrvDb *
srv_db_new (const SrvConfig *config)
{
  SrvDb *db = g_new0 (SrvDb, 1);

  db->main_context = g_main_context_ref_thread_default ();
  db->free_conns = g_async_queue_new ();
  db->conns = g_ptr_array_new ();
  for (guint i = 0; i < config->pool_size; i++)
    {
      SrvDbConn *conn = conn_new (config);
      g_autoptr (GError) error = NULL;

      conn->pool_connected_us = &db->connected_us;
      if (!connect_conn (conn, &error))
        {
          if (i == 0)
            srv_log_warning ("%s; will retry when needed", error->message);
        }
      g_ptr_array_add (db->conns, conn);
      g_async_queue_push (db->free_conns, conn);
    }
  db->async_source = g_source_new (&async_funcs, sizeof (GSource) + sizeof (SrvDb *));
  *(SrvDb **)(db->async_source + 1) = db;
  g_source_set_name (db->async_source, "kc-db-async");
  g_source_attach (db->async_source, db->main_context);
  db->workers = g_thread_pool_new (worker_cb, db, config->pool_size, TRUE, NULL);
  db->cpu_workers
      = g_thread_pool_new (cpu_worker_cb, db, MAX (1, config->hash_concurrency), TRUE, NULL);
  return db;
}

void
srv_db_free (SrvDb *db)
{
  if (db == NULL)
    return;
  g_thread_pool_free (db->cpu_workers, FALSE, TRUE);
  g_thread_pool_free (db->workers, FALSE, TRUE);
  /* Completion callbacks queued on the main context still reference jobs;
   * let them run before the caller tears down what they touch. */
  while (g_main_context_iteration (db->main_context, FALSE))
    ;
  /* Statements sent from the main loop end by themselves (a statement
   * timeout, a broken connection at worst). */
  while (db->async_in_flight > 0)
    g_main_context_iteration (db->main_context, TRUE);
  g_source_destroy (db->async_source);
  g_source_unref (db->async_source);
  for (guint i = 0; i < db->conns->len; i++)
    srv_db_conn_close (g_ptr_array_index (db->conns, i));
  g_ptr_array_free (db->conns, TRUE);
  g_async_queue_unref (db->free_conns);
  g_main_context_unref (db->main_context);
  g_free (db);
}

void
srv_db_share_reconnects (SrvDb *db, SrvDb *other)
{
  for (guint i = 0; i < db->conns->len; i++)
    {
      SrvDbConn *conn = g_ptr_array_index (db->conns, i);

      conn->pool_connected_us = &other->connected_us;
    }
  /* Whatever @db's own pool saw already counts for @other too. */
  if (atomic_load (&db->connected_us) > atomic_load (&other->connected_us))
    atomic_store (&other->connected_us, atomic_load (&db->connected_us));
}

void
srv_db_submit (SrvDb *db, SrvDbWorkFunc work, SrvDbDoneFunc done, gpointer data)
{
  Job *job = g_new0 (Job, 1);

  job->db = db;
  job->work = work;
  job->done = done;
  job->data = data;
  g_atomic_int_inc (&db->pending);
  g_thread_pool_push (db->workers, job, NULL);
}

void
srv_db_submit_cpu (SrvDb *db, SrvDbWorkFunc work, SrvDbDoneFunc done, gpointer data)
{
  Job *job = g_new0 (Job, 1);

  job->db = db;
  job->work = work;
  job->done = done;
  job->data = data;
  g_atomic_int_inc (&db->pending);
  g_thread_pool_push (db->cpu_workers, job, NULL);
}

gboolean
srv_db_send_async (SrvDb *db, const SrvQueryDef *def, const char *const *params,
                   SrvDbAsyncDoneFunc done, gpointer data)
{
  SrvDbConn *conn = NULL;

  /* A free connection ready for it, if there is one now; the others go
   * back to the queue as they were. */
  for (guint tries = 0; tries < db->conns->len && conn == NULL; tries++)
    {
      SrvDbConn *candidate = g_async_queue_try_pop (db->free_conns);

      if (candidate == NULL)
        break;
      if (async_ready (candidate, def))
        conn = candidate;
      else
        g_async_queue_push (db->free_conns, candidate);
    }
  if (conn == NULL)
    return FALSE;
  if (!PQsendQueryPrepared (conn->pg, def->name, def->n_params, params, NULL, NULL, 0))
    {
      /* Let a worker find out what is wrong with it (and reconnect). */
      g_async_queue_push (db->free_conns, conn);
      return FALSE;
    }
  conn->async_done = done;
  conn->async_data = data;
  conn->async_what = def->name;
  conn->async_tag = g_source_add_unix_fd (db->async_source, PQsocket (conn->pg), G_IO_IN);
  db->async_in_flight++;
  g_atomic_int_inc (&db->pending);
  return TRUE;
}

guint
srv_db_pending (SrvDb *db)
{
  return (guint)g_atomic_int_get (&db->pending);
}

SrvRows *
srv_db_exec_def (SrvDbConn *conn, const SrvQueryDef *def, const char *const *params, GError **error)
{
  g_autoptr (PGresult) res = NULL;
  ExecStatusType status;

  if (!ensure_connected (conn, error) || !prepare_query (conn, def, error))
    return NULL;
  res = PQexecPrepared (conn->pg, def->name, def->n_params, params, NULL, NULL, 0);
  status = res != NULL ? PQresultStatus (res) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      set_result_error (conn, res, def->name, error);
      return NULL;
    }
  return rows_from_result (res);
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
  g_autoptr (SrvRows) rows = srv_db_exec_def (conn, def, params, error);

  *found = FALSE;
  if (rows == NULL)
    return NULL;
  if (rows->n_rows == 0 || rows->values[0] == NULL)
    return NULL;
  *found = TRUE;
  return g_steal_pointer (&rows->values[0]);
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
  g_autoptr (SrvRows) rows = srv_db_exec (conn, SRV_Q_BEGIN, NULL, error);

  conn->in_transaction = rows != NULL;
  return rows != NULL;
}

gboolean
srv_db_commit (SrvDbConn *conn, GError **error)
{
  g_autoptr (SrvRows) rows = srv_db_exec (conn, SRV_Q_COMMIT, NULL, error);

  conn->in_transaction = FALSE;
  return rows != NULL;
}

void
srv_db_rollback (SrvDbConn *conn)
{
  g_autoptr (PGresult) res = NULL;

  conn->in_transaction = FALSE;
  if (conn->pg == NULL || PQstatus (conn->pg) != CONNECTION_OK)
    return;
  if (PQtransactionStatus (conn->pg) == PQTRANS_IDLE)
    return;
  res = PQexec (conn->pg, "ROLLBACK");
}

SrvDbConn *
srv_db_conn_open (const SrvConfig *config, GError **error)
{
  g_autoptr (SrvDbConn) conn = conn_new (config);

  if (!connect_conn (conn, error))
    return NULL;
  return g_steal_pointer (&conn);
}

void
srv_db_conn_close (SrvDbConn *conn)
{
  if (conn == NULL)
    return;
  if (conn->pg != NULL)
    PQfinish (conn->pg);
  g_hash_table_unref (conn->prepared);
  g_free (conn->conninfo);
  g_free (conn);
}

gboolean
srv_db_exec_script (SrvDbConn *conn, const char *sql, GError **error)
{
  g_autoptr (PGresult) res = PQexec (conn->pg, sql);
  ExecStatusType status = res != NULL ? PQresultStatus (res) : PGRES_FATAL_ERROR;

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      const char *detail = PQresultErrorMessage (res);
      g_set_error (error, SRV_DB_ERROR, map_sqlstate (PQresultErrorField (res, PG_DIAG_SQLSTATE)),
                   "%s", detail != NULL && *detail ? detail : PQerrorMessage (conn->pg));
      return FALSE;
    }
  return TRUE;
}
