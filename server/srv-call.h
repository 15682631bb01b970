/*
 * srv-call.h — one JSON-RPC call on its way through kc-server: the method,
 * the caller's session (srv-session.h), the parameters (validated with
 * srv-params.h), and the outcome a handler sets.
 *
 * A call is created on the main thread, handed to a worker thread for its
 * handler (which may use the database), and comes back to the main thread
 * to be answered. Nothing in it is shared while the worker owns it.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "kc-error.h"
#include "kc-rpc.h"
#include "srv-context.h"
#include "srv-db.h"
#include "srv-method.h"
#include "srv-session.h"

G_BEGIN_DECLS

struct _SrvCall
{
  /* input, set on the main thread */
  SrvContext *ctx;
  const SrvMethod *method;
  JsonObject *params;  /* owned */
  SrvSession *session; /* (nullable) owned reference */
  char *peer;          /* address without port, for throttling and audit */
  char *peer_full;     /* address:port, for logs */
  guint64 conn_id;
  char *request_id;     /* compact JSON of the id, for logs */
  gint64 login_attempt; /* the guess counted before verifying it (srv_auth_claim_attempt) */

  /* output, set by the handler */
  char *result_json; /* raw JSON text of "result" */
  int error_code;    /* 0: success */
  char *error_message;
  JsonNode *error_data;
  SrvSession *new_session;   /* login/resume: install on the connection */
  gboolean end_session;      /* logout: forget the connection's session */
  gboolean password_changed; /* lifts the must-change-password gate */
  gboolean totp_enrolled;    /* lifts the must-enrol-TOTP gate */
  guint event_topics;        /* events.subscribe: the SrvTopic mask wanted ... */
  gboolean event_topics_set; /* ... when this is set */

  /* A handler may continue in another stage: @next runs after it, on the
   * CPU pool (no database connection; for password hashing, so a burst of
   * logins never occupies the database workers) when @next_on_cpu, else on
   * the database pool. @scratch carries state between stages. */
  SrvHandler next;
  gboolean next_on_cpu;
  gpointer scratch;
  GDestroyNotify scratch_free;

  /* SRV_METHOD_MAIN_LOOP: the handler runs without a connection and
   * srv_outcome_run leaves its statement here instead of running it. */
  gboolean defer_read;
  const SrvQueryDef *deferred_def;
  char *deferred_params[2];
};

/* A refusal that kc_audit_refusal records (1003, 1004, a failed resume). */
gboolean srv_call_refusal_audited (const SrvCall *call);

/* Continues @call with @handler (see SrvCall.next). */
void srv_call_continue (SrvCall *call, SrvHandler handler, gboolean on_cpu);

SrvCall *srv_call_new (SrvContext *ctx, const SrvMethod *method, JsonObject *params,
                       SrvSession *session);
void srv_call_free (SrvCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrvCall, srv_call_free)

/* Takes ownership of @json. */
void srv_call_set_result (SrvCall *call, char *json);
/* Builds the result from a JsonNode (takes ownership). */
void srv_call_set_result_node (SrvCall *call, JsonNode *node);
/* @data: (transfer full) (nullable) */
void srv_call_set_error (SrvCall *call, int code, JsonNode *data, const char *format, ...)
    G_GNUC_PRINTF (4, 5);
/* 1022 with one violation {field, rule, message}. */
void srv_call_set_violation (SrvCall *call, const char *field, const char *rule,
                             const char *message);
/* 1009 with current_version. */
void srv_call_set_conflict (SrvCall *call, gint64 current_version);
/* Maps a database error: unavailable → 1050, otherwise -32603 with an
 * incident id that is also logged with the real message. */
void srv_call_set_db_error (SrvCall *call, const GError *error);
gboolean srv_call_failed (SrvCall *call);

G_END_DECLS
