/*
 * srv-handlers.h — the method handlers, one file per family
 * (srv-handler-<family>.c), and the dispatch table that names them.
 */
#pragma once

#include "srv-call.h"
#include "srv-outcome.h"
#include "srv-params.h"

G_BEGIN_DECLS

/* (transfer none) (nullable) */
const SrvMethod *srv_dispatch_lookup (const char *name);

/* What the connection knows of its caller, for the gate. */
typedef enum
{
  SRV_GATE_NO_SESSION = 1 << 0,           /* never logged in on this connection */
  SRV_GATE_EXPIRED = 1 << 1,              /* the session expired or was revoked */
  SRV_GATE_MUST_CHANGE_PASSWORD = 1 << 2, /* logged in with a password to change */
  SRV_GATE_MUST_ENROL_TOTP = 1 << 3,      /* the role needs TOTP, not yet set up */
  SRV_GATE_ROLE = 1 << 4,                 /* (set by the gate) role not in the mask */
} SrvGateState;

/* One row of the gate: when @when holds (and the method's name does not
 * start with @exempt_prefix), the call is refused with @code, @message and,
 * when @reason is set, data {"reason": @reason}. @audited refusals are
 * answered by a worker that records them. */
typedef struct
{
  SrvGateState when;
  const char *exempt_prefix;
  int code;
  const char *reason;
  const char *message;
  gboolean audited;
} SrvGateRule;

/* The row that refuses @method to a caller in @state with @role, or NULL
 * when the call may go on. (transfer none) */
const SrvGateRule *srv_dispatch_gate (const SrvMethod *method, SrvGateState state, SrvRole role);

/* Calls @func for every method of every table. */
void srv_dispatch_foreach (void (*func) (const SrvMethod *method, gpointer user_data),
                           gpointer user_data);

/* Method tables of the families that keep theirs beside their handlers,
 * each ended by an entry whose name is NULL. */
extern const SrvMethod srv_catalog_methods[];
extern const SrvMethod srv_events_methods[];
extern const SrvMethod srv_plan_methods[];
extern const SrvMethod srv_project_methods[];
extern const SrvMethod srv_attachment_methods[];
extern const SrvMethod srv_progress_methods[];
extern const SrvMethod srv_review_methods[];
extern const SrvMethod srv_budget_methods[];
extern const SrvMethod srv_decision_methods[];
extern const SrvMethod srv_correspondence_methods[];
extern const SrvMethod srv_programme_methods[];
extern const SrvMethod srv_round_methods[];
extern const SrvMethod srv_totp_methods[];
extern const SrvMethod srv_report_methods[];
extern const SrvMethod srv_client_read_methods[];
extern const SrvMethod srv_inbox_methods[];

/* server.* */
void srv_handle_server_info (SrvCall *call, SrvDbConn *db);

/* auth.* */
void srv_handle_auth_login (SrvCall *call, SrvDbConn *db);
void srv_handle_auth_resume (SrvCall *call, SrvDbConn *db);
void srv_handle_auth_logout (SrvCall *call, SrvDbConn *db);
void srv_handle_auth_change_password (SrvCall *call, SrvDbConn *db);
void srv_handle_auth_whoami (SrvCall *call, SrvDbConn *db);

/* user.* */
void srv_handle_user_create (SrvCall *call, SrvDbConn *db);
void srv_handle_user_get (SrvCall *call, SrvDbConn *db);
void srv_handle_user_list (SrvCall *call, SrvDbConn *db);
void srv_handle_user_update (SrvCall *call, SrvDbConn *db);
void srv_handle_user_disable (SrvCall *call, SrvDbConn *db);
void srv_handle_user_reset_password (SrvCall *call, SrvDbConn *db);

/* org.* */
void srv_handle_org_list (SrvCall *call, SrvDbConn *db);

/* audit.* */
void srv_handle_audit_list (SrvCall *call, SrvDbConn *db);

/* catalog.* */
void srv_handle_catalog_get (SrvCall *call, SrvDbConn *db);
void srv_handle_catalog_update (SrvCall *call, SrvDbConn *db);
void srv_handle_catalog_add_cap (SrvCall *call, SrvDbConn *db);

/* plan.* and project.* (issue 3): srv-handler-plan.c, srv-handler-project.c */
typedef enum
{
  SRV_ITEM_STRING, /* one line */
  SRV_ITEM_TEXT,   /* newlines allowed */
  SRV_ITEM_INT,    /* 0..max */
  SRV_ITEM_DATE,
  SRV_ITEM_ENUM,
  SRV_ITEM_BOOL,
} SrvItemType;

/* One member of an object inside the parameters (a list item, a sheet). */
typedef struct
{
  const char *name;
  SrvItemType type;
  gboolean required;
  gint64 max; /* characters of a string, largest integer */
  const char *const *choices;
} SrvItemField;

/* Checks the list @name (absent or null: FALSE), each item an object of
 * @fields, or a code string when @strings; errors name "list[i].member". */
gboolean srv_plan_check_list (SrvParams *p, const char *name, const SrvItemField *fields,
                              gboolean strings);
gboolean srv_plan_check_object (SrvParams *p, const char *name, const SrvItemField *fields);
/* The optional member "decision" {number, date, signer, attachment_id?}:
 * the recorded decision a cap or an approved programme changes by (issue
 * 13 point 9; srv-handler-catalog.c). TRUE when given (and checked). */
gboolean srv_params_decision (SrvParams *p);
/* An optional string that may also be given as null (clears it). */
const char *srv_plan_opt_string (SrvParams *p, const char *name, glong max_chars,
                                 gboolean multiline);

void srv_handle_plan_create (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_get (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_list (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_update (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_submit (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_withdraw (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_appraise (SrvCall *call, SrvDbConn *db);
void srv_handle_plan_approve_local (SrvCall *call, SrvDbConn *db);
void srv_handle_project_create (SrvCall *call, SrvDbConn *db);
void srv_handle_project_get (SrvCall *call, SrvDbConn *db);
void srv_handle_project_list (SrvCall *call, SrvDbConn *db);
void srv_handle_project_update (SrvCall *call, SrvDbConn *db);
void srv_handle_project_delete (SrvCall *call, SrvDbConn *db);

/* attachment.* and project.import (issue 3): srv-handler-attachment.c */
void srv_handle_attachment_begin (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_put (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_finish (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_abort (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_list (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_get (SrvCall *call, SrvDbConn *db);
void srv_handle_attachment_delete (SrvCall *call, SrvDbConn *db);
void srv_handle_project_import (SrvCall *call, SrvDbConn *db);
/* The connection @conn_id closed: its unfinished uploads are abandoned. */
void srv_attachment_connection_closed (SrvContext *ctx, guint64 conn_id);
/* Called by the server's janitor (every second): sweeps once a minute. */
void srv_attachment_janitor (SrvContext *ctx);
void srv_handle_project_check (SrvCall *call, SrvDbConn *db);
void srv_handle_project_copy (SrvCall *call, SrvDbConn *db);

/* Two-factor login (srv-handler-totp.c), shared with auth.login. */
typedef enum
{
  SRV_TOTP_ERROR, /* the call failed (database) */
  SRV_TOTP_NONE,
  SRV_TOTP_PENDING, /* begun, not confirmed */
  SRV_TOTP_ENABLED,
} SrvTotpState;

typedef enum
{
  SRV_TOTP_OK,       /* accepted and spent (audited) */
  SRV_TOTP_WRONG,    /* not the code, or no second factor */
  SRV_TOTP_REPLAYED, /* the code of a step already used */
  SRV_TOTP_FAILED,   /* the call failed (database) */
} SrvTotpVerdict;

SrvTotpState srv_totp_state (SrvCall *call, SrvDbConn *db, gint64 user_id);
/* Checks @code (6 digits, or a recovery code) and spends it, audited under
 * @method. */
SrvTotpVerdict srv_totp_check (SrvCall *call, SrvDbConn *db, gint64 user_id, const char *username,
                               const char *code, const char *method);
/* A failed attempt that counts towards login throttling, audited. */
void srv_totp_record_failure (SrvCall *call, SrvDbConn *db, const char *username, gint64 user_id,
                              const char *reason, const char *method);
/* 1031 with data {totp: true, reason}. */
void srv_totp_set_code_error (SrvCall *call, const char *reason);
/* *must: the role requires a second factor the user has not enrolled.
 * FALSE if the call failed. */
gboolean srv_totp_must_enrol (SrvCall *call, SrvDbConn *db, gint64 user_id, const char *role,
                              gboolean *must);
/* Tells every connection of the caller's session, on every server, that
 * @gate ("password" or "totp") is passed (NOTIFY, delivered at commit).
 * FALSE with the call failed on a database error. */
gboolean srv_auth_announce_ungate (SrvCall *call, SrvDbConn *db, const char *gate);
/* Counts a guess of @username's password or code before it is verified
 * (sql/0024 kc_login_attempt): FALSE with 1029 and data.retry_after when
 * the account, the (account, address) pair or the address is throttled
 * (the refusal audited once per window), or with the call failed. On TRUE
 * the attempt is call->login_attempt, to be recorded as a failure
 * (srv_auth_record_failure) or released (srv_auth_release_attempt), and
 * *found (if not NULL) the account's row (kc_login_attempt's columns). */
gboolean srv_auth_claim_attempt (SrvCall *call, SrvDbConn *db, const char *username,
                                 const char *method, SrvRows **found);
/* The claimed attempt failed: its reason, audited under @method. */
void srv_auth_record_failure (SrvCall *call, SrvDbConn *db, const char *username,
                              const char *user_id, const char *reason, const char *method);
/* The claimed attempt was not a failure. FALSE with the call failed. */
gboolean srv_auth_release_attempt (SrvCall *call, SrvDbConn *db);

/* Four eyes (sql/0024): a reset of a ministry_approver's password or
 * second factor becomes a request another administrator confirms
 * (user.confirm_reset). REQUESTED: the call's result is set
 * {four_eyes: "pending", request_id}; NOT_NEEDED: go on with the reset. */
typedef enum
{
  SRV_FOUR_EYES_NOT_NEEDED,
  SRV_FOUR_EYES_REQUESTED,
  SRV_FOUR_EYES_FAILED,
} SrvFourEyes;
SrvFourEyes srv_admin_four_eyes_request (SrvCall *call, SrvDbConn *db, const char *kind,
                                         gint64 target);
/* A password for an account reset by an administrator (transfer full). */
char *srv_admin_generate_password (void);

/* The members of a project's dossier as project.create (@creating) or
 * project.update take them: adjustment.request checks its changes with it. */
void srv_project_dossier_params (SrvParams *p, gboolean creating);

G_END_DECLS
