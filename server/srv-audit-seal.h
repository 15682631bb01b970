/*
 * srv-audit-seal.h — the background step that chains committed audit rows
 * and sends committed live-update events (sql/0003 kc_audit_seal, sql/0014
 * kc_event_publish), ten times a second on one database connection.
 */
#pragma once

#include "srv-db.h"

G_BEGIN_DECLS

typedef struct _SrvAuditSealer SrvAuditSealer;

/* Starts the timer on the thread-default main context. */
SrvAuditSealer *srv_audit_sealer_start (SrvDb *db);
/* Stops the timer; a step in flight finishes on its own. NULL-safe. */
void srv_audit_sealer_stop (SrvAuditSealer *sealer);

G_END_DECLS
