/*
 * srv-outcome.h — how nearly every method runs: validated parameters go
 * as one jsonb to a PL/pgSQL function of sql/ that checks scope, version,
 * status and rules, writes, audits, and returns {"result": …} or
 * {"error": {code, message, data}}; srv_outcome_run maps that onto the
 * call. A family declares its statements as
 *
 *   static const SrvQueryDef q_x = { "x", SRV_OUTCOME "kc_x" SRV_ACTOR_ARGS, 6 };
 *   static const SrvQueryDef q_y = { "y", SRV_OUTCOME "kc_y" SRV_READ_ARGS, 2 };
 */
#pragma once

#include "srv-call.h"

G_BEGIN_DECLS

/* The four columns srv_outcome_run reads from the function's row r. */
#define SRV_OUTCOME                                                                                \
  "SELECT r->'error'->>'code', r->'error'->>'message', (r->'error'->'data')::text, "               \
  "(r->'result')::text FROM "
/* Writes: $1 user id, $2 username, $3 address, $4 role, $5 scope root, $6 params. */
#define SRV_ACTOR_ARGS "($1::bigint, $2, $3, $4, $5::bigint, $6::jsonb) AS r"
/* Reads: $1 scope root (NULL: the Ministry), $2 params. */
#define SRV_READ_ARGS "($1::bigint, $2::jsonb) AS r"

/* The call's parameters as JSON text. The caller frees it. */
char *srv_outcome_params_json (SrvCall *call);

/* Runs @def with the caller (@with_actor: the six SRV_ACTOR_ARGS, else the
 * two SRV_READ_ARGS) and sets the call's result or error from its row;
 * database failures become 1010 (status trigger), 1022 (constraint) or
 * -32603/1050 (srv_call_set_db_error). */
void srv_outcome_run (SrvCall *call, SrvDbConn *db, const SrvQueryDef *def, gboolean with_actor);
/* A read's statement left by srv_outcome_run with @db NULL (call->defer_read,
 * SRV_METHOD_MAIN_LOOP): run on a worker's @db. */
void srv_outcome_run_deferred (SrvCall *call, SrvDbConn *db);
/* What srv_outcome_run does with the statement's @rows, or its @error when
 * @rows is NULL. */
void srv_outcome_apply (SrvCall *call, SrvRows *rows, const GError *error);

G_END_DECLS
