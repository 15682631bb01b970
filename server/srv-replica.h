/*
 * srv-replica.h — the database that reports read, when it is not the
 * primary: `[database] report_conninfo` names it (typically the hot
 * standby: "host=db2 ... target_session_attrs=prefer-standby"), so long
 * report queries take nothing from the writers. Methods flagged
 * SRV_METHOD_REPLICA_OK run on its pool; everything else, and everything
 * when the key is unset, on the primary's.
 *
 * Its lag is measured every few seconds and shown in server.info, so a
 * reader knows how old the figures may be. Owned by SrvServer; the lag is
 * read and written on the main context only.
 */
#pragma once

#include <glib.h>

#include "srv-config.h"
#include "srv-db.h"

G_BEGIN_DECLS

typedef struct _SrvReplica SrvReplica;

/* The last measurement (main context only). */
typedef struct _SrvReplicaLag
{
  gboolean known;     /* FALSE while no measurement succeeded (database down) */
  gboolean standby;   /* it is in recovery */
  double lag_seconds; /* replay behind what it received; 0 when caught up or a primary */
} SrvReplicaLag;

/* NULL when @config has no report_conninfo. */
SrvReplica *srv_replica_new (const SrvConfig *config);
void srv_replica_free (SrvReplica *replica);

/* (transfer none) its pool. */
SrvDb *srv_replica_get_db (SrvReplica *replica);

/* Queues a lag measurement unless one is in flight (main context). */
void srv_replica_poll (SrvReplica *replica);

/* (transfer none) the last measurement, updated in place. Handlers read it
 * through SrvContext.report_lag, which needs no call into this module (the
 * fuzzers link the handlers without the database pool). */
const SrvReplicaLag *srv_replica_get_lag (SrvReplica *replica);

G_END_DECLS
