/*
 * srv-context.h — the server-wide objects a handler may
 * use, owned by the server (srv-server.c) for its whole life.
 */
#pragma once

#include <glib.h>

#include "srv-config.h"
#include "srv-db.h"
#include "srv-password.h"

G_BEGIN_DECLS

/* Server-wide objects a handler may use (owned by the server). */
typedef struct
{
  SrvConfig *config;
  SrvDb *db;
  /* With write_pool_size (srv-config.h): a pool of its own for the
   * SRV_METHOD_WRITE calls, so that they do not queue for pool_size's few
   * connections while their commits wait for the WAL flush, and commits
   * share flushes; NULL without it (they use db). */
  SrvDb *write_db;
  SrvPassword *password;
  /* With report_conninfo (srv-replica.h, owned by the server): its pool, on
   * which SRV_METHOD_REPLICA_OK methods run, and its last measured lag,
   * which server.info shows; both NULL without it. */
  SrvDb *report_db;
  const struct _SrvReplicaLag *report_lag;
} SrvContext;

G_END_DECLS
