/*
 * srv-call.h — one JSON-RPC call on its way through kc-server: the caller's
 * session, the validated parameters, and the outcome a handler sets.
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
#include "srv-config.h"
#include "srv-db.h"
#include "srv-password.h"

G_BEGIN_DECLS

typedef enum
{
  SRV_ROLE_PROVINCE_OFFICER = 1 << 0,
  SRV_ROLE_PROVINCE_LEADER = 1 << 1,
  SRV_ROLE_MINISTRY_REVIEWER = 1 << 2,
  SRV_ROLE_MINISTRY_APPROVER = 1 << 3,
  SRV_ROLE_ADMIN = 1 << 4,
  SRV_ROLE_VIEWER = 1 << 5,
} SrvRole;

#define SRV_ROLES_ALL 0x3f
#define SRV_ROLES_PROVINCE (SRV_ROLE_PROVINCE_OFFICER | SRV_ROLE_PROVINCE_LEADER)
#define SRV_ROLES_MINISTRY (SRV_ROLE_MINISTRY_REVIEWER | SRV_ROLE_MINISTRY_APPROVER)

/* "province_officer" → SRV_ROLE_PROVINCE_OFFICER; 0 if unknown. */
SrvRole srv_role_from_name (const char *name);

/* Server-wide objects a handler may use (owned by the server). */
typedef struct
{
  SrvConfig *config;
  SrvDb *db;
  SrvPassword *password;
  /* With report_conninfo (srv-replica.h, owned by the server): its pool, on
   * which SRV_METHOD_REPLICA_OK methods run, and its last measured lag,
   * which server.info shows; both NULL without it. */
  SrvDb *report_db;
  const struct _SrvReplicaLag *report_lag;
} SrvContext;

/* A logged-in session as a connection holds it (refcounted: a connection
 * and calls in flight share it; fields never change after creation except
 * the atomics noted). */
typedef struct
{
  gint64 session_id;
  gint64 user_id;
  char *username;
  char *full_name;
  char *role_name;
  SrvRole role;
  gint64 org_id;
  gint64 scope_root;             /* 0: sees every province (Ministry side) */
  gint64 expires_at_us;          /* absolute expiry, g_get_real_time() scale */
  gint64 idle_timeout_us;        /* inactivity allowed */
  gboolean must_change_password; /* at login: only a password change is allowed */
  gboolean must_enrol_totp;      /* role needs a second factor the user has not set up */
  gint64 authenticated_at_us;    /* password checked by this login (real time); 0: resumed */
} SrvSession;

SrvSession *srv_session_new (void);
SrvSession *srv_session_ref (SrvSession *session);
void srv_session_unref (SrvSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrvSession, srv_session_unref)

typedef struct _SrvCall SrvCall;
typedef void (*SrvHandler) (SrvCall *call, SrvDbConn *db);

typedef enum
{
  SRV_METHOD_ANONYMOUS = 1 << 0,  /* callable before logging in */
  SRV_METHOD_INLINE = 1 << 1,     /* runs on the main thread, no database */
  SRV_METHOD_REPLICA_OK = 1 << 2, /* reads only: may run on report_conninfo's standby */
} SrvMethodFlags;

typedef struct
{
  const char *name;
  SrvHandler handler;
  guint roles; /* SrvRole mask allowed; ignored for anonymous methods */
  SrvMethodFlags flags;
} SrvMethod;

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
};

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

/* Parameter validation that collects every problem into one -32602. */
typedef struct
{
  SrvCall *call;
  KcFieldErrors *errors;
  GHashTable *seen;
} SrvParams;

void srv_params_init (SrvParams *p, SrvCall *call);
/* Each getter returns whether the member was present and valid; absent
 * optional members leave *out untouched. */
gboolean srv_params_int64 (SrvParams *p, const char *name, gboolean required, gint64 min,
                           gint64 max, gint64 *out);
/* (transfer none) string, checked for length in characters; no control
 * characters at all (names, codes, single-line fields). */
const char *srv_params_string (SrvParams *p, const char *name, gboolean required, glong min_chars,
                               glong max_chars);
/* The same for multi-line text: newlines and tabs allowed. */
const char *srv_params_text (SrvParams *p, const char *name, gboolean required, glong min_chars,
                             glong max_chars);
/* TRUE if the UTF-8 text @s has a control character: C0, DEL or C1
 * (U+0080..U+009F); with @multiline, '\n' and '\t' are allowed. */
gboolean srv_text_has_control (const char *s, gboolean multiline);
gboolean srv_params_bool (SrvParams *p, const char *name, gboolean required, gboolean *out);
/* Present and explicitly null. */
gboolean srv_params_is_null (SrvParams *p, const char *name);
/* One of @choices (NULL-terminated). */
const char *srv_params_enum (SrvParams *p, const char *name, gboolean required,
                             const char *const *choices);
/* "YYYY-MM-DD" as given (validated), or NULL. */
const char *srv_params_date (SrvParams *p, const char *name, gboolean required);
/* limit (1..1000, default 100) and cursor (decimal text of an id). */
void srv_params_page (SrvParams *p, gint64 *limit, const char **cursor);
/* Adds an error of the caller's own. */
void srv_params_error (SrvParams *p, const char *name, const char *message);
/* The same with a stable rule code and its data (transfer full, may be NULL). */
void srv_params_error_rule (SrvParams *p, const char *name, const char *rule, JsonObject *data,
                            const char *message);
/* Flags unknown members, sets -32602 on the call if anything was wrong.
 * Returns TRUE when the parameters are all valid. Frees @p's state. */
gboolean srv_params_finish (SrvParams *p);

G_END_DECLS
