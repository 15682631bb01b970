/*
 * srv-method.h — the shape of a method table entry: name,
 * handler, the roles that may call it and how it runs. The tables are in
 * srv-dispatch.c and beside each family's handlers; the gate that applies
 * them is srv-dispatch.c's.
 */
#pragma once

#include <glib.h>

#include "srv-db.h"

G_BEGIN_DECLS

typedef struct _SrvCall SrvCall;
typedef void (*SrvHandler) (SrvCall *call, SrvDbConn *db);

typedef enum
{
  SRV_METHOD_ANONYMOUS = 1 << 0,  /* callable before logging in */
  SRV_METHOD_INLINE = 1 << 1,     /* runs on the main thread, no database */
  SRV_METHOD_REPLICA_OK = 1 << 2, /* reads only: may run on report_conninfo's standby */
  /* A read of one statement (srv_outcome_run, no actor): its handler runs
   * on the main thread and the statement is sent from the main loop
   * (srv_db_send_async), a worker only when no connection is ready. */
  SRV_METHOD_MAIN_LOOP = 1 << 3,
  /* A write (it changes the database and commits): runs on the write
   * pool's connections when there is one (write_pool_size, srv-context.h),
   * so that commits waiting for the WAL flush wait together. Every other
   * call that needs a worker stays on pool_size's, the cores: the reads'
   * tail grows with backends beyond the cores. */
  SRV_METHOD_WRITE = 1 << 4,
} SrvMethodFlags;

typedef struct
{
  const char *name;
  SrvHandler handler;
  guint roles; /* SrvRole mask allowed; ignored for anonymous methods */
  SrvMethodFlags flags;
} SrvMethod;

G_END_DECLS
