/*
 * srv-audit-seal.c — writes put their audit row and their events in the
 * database unchained and unsent, in their own transaction; this step, run by
 * every kc-server, chains the rows and sends the events once they have
 * committed. Every server runs it so that no single one is needed; in the
 * database they take turns (the loser of a race returns at once).
 *
 * Why not in the writer's transaction: chaining there made every write wait
 * for the one audit_head row lock until the previous writer's commit was
 * flushed, and a NOTIFY there took PostgreSQL's cluster-wide notify lock
 * over the flush too: writes committed one at a time (issue 7).
 */
#include "srv-audit-seal.h"

#include "srv-db-queries.h"
#include "srv-log.h"

/* 100 ms: events reach other windows well within the second PROTOCOL.md
 * allows, and a batch under full write load is a few dozen rows. */
#define SEAL_INTERVAL_MS 100

struct _SrvAuditSealer
{
  SrvDb *db;
  guint source;
  gboolean busy;   /* a step is queued or running: never two at once */
  gboolean failed; /* the last step failed (logged once, until one succeeds) */
};

static void
step_work (SrvDbConn *conn, gpointer data)
{
  SrvAuditSealer *sealer = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = srv_db_exec (conn, SRV_Q_SEAL_PUBLISH, NULL, &error);

  /* A database that is down fails every step: say so once, not ten times a
   * second. */
  if (rows == NULL && !sealer->failed)
    srv_log_warning ("audit seal and event publication: %s; retrying", error->message);
  else if (rows != NULL && sealer->failed)
    srv_log_info ("audit seal and event publication: working again");
  sealer->failed = rows == NULL;
}

static void
step_done (gpointer data)
{
  SrvAuditSealer *sealer = data;

  sealer->busy = FALSE;
  g_rc_box_release (sealer);
}

static gboolean
tick_cb (gpointer user_data)
{
  SrvAuditSealer *sealer = user_data;

  if (!sealer->busy)
    {
      sealer->busy = TRUE;
      srv_db_submit (sealer->db, step_work, step_done, g_rc_box_acquire (sealer));
    }
  return G_SOURCE_CONTINUE;
}

SrvAuditSealer *
srv_audit_sealer_start (SrvDb *db)
{
  SrvAuditSealer *sealer = g_rc_box_new0 (SrvAuditSealer);

  sealer->db = db;
  sealer->source = g_timeout_add (SEAL_INTERVAL_MS, tick_cb, sealer);
  return sealer;
}

void
srv_audit_sealer_stop (SrvAuditSealer *sealer)
{
  if (sealer == NULL)
    return;
  g_source_remove (sealer->source);
  g_rc_box_release (sealer);
}
