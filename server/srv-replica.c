/*
 * srv-replica.c — the report database's pool and its lag.
 */
#include "srv-replica.h"

#include "srv-log.h"

/* When everything received is replayed the standby is current, whatever
 * the time of the last transaction (a quiet primary sends none); else the
 * age of the last replayed one is how old the figures are. */
static const SrvQueryDef replica_lag_query = {
  "replica_lag",
  "SELECT pg_is_in_recovery(),"
  " CASE WHEN NOT pg_is_in_recovery()"
  "        OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()"
  "      THEN 0"
  "      ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)"
  " END::float8",
  0,
};

struct _SrvReplica
{
  SrvDb *db;
  gboolean polling;
  SrvReplicaLag lag;
  gboolean warned;
};

typedef struct
{
  SrvReplica *replica;
  gboolean ok;
  gboolean standby;
  double lag_seconds;
} Poll;

static void
poll_work_cb (SrvDbConn *conn, gpointer data)
{
  Poll *poll = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = srv_db_exec_def (conn, &replica_lag_query, NULL, &error);

  if (rows == NULL || rows->n_rows != 1)
    {
      if (!poll->replica->warned)
        srv_log_warning ("report database: could not measure its lag: %s",
                         error != NULL ? error->message : "no row");
      return;
    }
  poll->ok = TRUE;
  poll->standby = srv_rows_get_bool (rows, 0, 0);
  poll->lag_seconds = g_ascii_strtod (srv_rows_get (rows, 0, 1), NULL);
}

static void
poll_done_cb (gpointer data)
{
  Poll *poll = data;
  SrvReplica *replica = poll->replica;

  replica->polling = FALSE;
  replica->lag.known = poll->ok;
  replica->warned = !poll->ok;
  replica->lag.standby = poll->standby;
  replica->lag.lag_seconds = poll->lag_seconds;
  g_free (poll);
}

SrvReplica *
srv_replica_new (const SrvConfig *config)
{
  SrvConfig copy;
  SrvReplica *replica;

  if (config->report_conninfo == NULL)
    return NULL;
  /* The same pool settings, another database: srv_db_new() copies what it
   * keeps, so a shallow copy with the conninfo swapped is enough. */
  copy = *config;
  copy.conninfo = config->report_conninfo;
  replica = g_new0 (SrvReplica, 1);
  replica->db = srv_db_new (&copy);
  return replica;
}

void
srv_replica_free (SrvReplica *replica)
{
  if (replica == NULL)
    return;
  srv_db_free (replica->db);
  g_free (replica);
}

SrvDb *
srv_replica_get_db (SrvReplica *replica)
{
  return replica->db;
}

void
srv_replica_poll (SrvReplica *replica)
{
  Poll *poll;

  if (replica->polling)
    return;
  replica->polling = TRUE;
  poll = g_new0 (Poll, 1);
  poll->replica = replica;
  srv_db_submit (replica->db, poll_work_cb, poll_done_cb, poll);
}

const SrvReplicaLag *
srv_replica_get_lag (SrvReplica *replica)
{
  return &replica->lag;
}
