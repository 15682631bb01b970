/*
 * srv-conn.c — one client connection, from accept() to close.
 *
 * Owns the socket, the TLS state, the input framing and the output buffer.
 * All state changes go through set_state(); see docs/architecture.md for
 * the diagram.
 *
 * Requests are answered in the order received: at most one call is in
 * flight per connection, further lines wait in the frame reader. While a
 * call is in flight, reading continues until a bounded amount is buffered,
 * then pauses; output beyond a high-water mark also pauses processing, so
 * a client that does not read its replies cannot make us buffer forever.
 */
#include "srv-conn.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kc-frame.h"
#include "kc-rpc.h"
#include "srv-handlers.h"
#include "srv-log.h"
#include "srv-outcome.h"
#include "srv-proxy.h"

#define READ_CHUNK 16384
/* Bytes one connection may read per wake-up before the others get their
 * turn: a client streaming megabytes (a 15 MiB line) must not hold the
 * main loop for the whole transfer (issue 13: 1.96 s without this). */
#define READ_BUDGET (16 * READ_CHUNK)
#define OUT_HIGH_WATER (4 * 1024 * 1024)
#define IN_PAUSE_BYTES (1024 * 1024)

typedef enum
{
  CONN_HANDSHAKE, /* accepted; TLS not yet established */
  CONN_OPEN,      /* TLS up; requests are read and answered */
  CONN_CLOSING,   /* no more input; flushing what is queued, then close */
  CONN_DEAD,      /* socket closed; the registry drops it */
} ConnState;

static const char *const state_names[] = { "handshake", "open", "closing", "dead" };

typedef enum
{
  SESSION_NONE,    /* never logged in, or logged out */
  SESSION_ACTIVE,  /* logged in */
  SESSION_EXPIRED, /* expired or revoked: calls get 1002 until a new login */
} SessionState;

/* Every connection's socket is in one epoll set, which one GSource
 * watches. GLib's loop walks all its sources and polls all their
 * descriptors on every iteration: with a source per connection, 1,000
 * idle connections cost 0.75 ms of main-thread CPU per request and a
 * fifth of the throughput on two cores (issue 7). epoll_wait() returns the
 * ready ones only. */
typedef struct
{
  GSource source;
  int epfd;
} ConnPoller;

static ConnPoller *poller;

struct _SrvConn
{
  gint ref_count;
  SrvServer *server;
  guint64 id;
  int fd;
  char *peer_addr;
  char *peer_full;
  ConnState state;

  gboolean watched; /* its fd is in the poller's set */
  GIOCondition watching;
  gboolean write_blocked; /* the last write wanted the socket writable */

  /* A trusted balancer's PROXY v2 header, read before TLS (srv-proxy.h). */
  gboolean proxy_pending;
  guint8 proxy_buf[1024];
  gsize proxy_len;

  SrvTls *tls;
  KcFrameReader *reader;
  GByteArray *out;
  gsize out_pos;

  gboolean in_flight;
  gboolean shutting_down;
  gboolean read_budget_hit; /* the last do_read stopped at READ_BUDGET */
  guint read_idle;          /* source of continue_read_cb, 0: none */

  SrvSession *session;
  SessionState session_state;
  gboolean touched;
  gboolean must_change_password; /* only a password change until it is done */
  gboolean must_enrol_totp;      /* only auth.* until a second factor is enrolled */
  gboolean revoked_in_login;     /* the session was revoked while auth.login ran */
  guint event_topics;            /* SrvTopic mask from events.subscribe */
  const char *in_flight_method;  /* (nullable) static name of the call in flight */

  gint64 accepted_mono;
  gint64 anonymous_since_mono; /* start of the login timeout */
  gint64 partial_since_mono;   /* 0: no unfinished line */
  gboolean partial_bulk_ok;    /* the line arriving, past 1 MiB, names a bulk method */
  gint64 closing_since_mono;
  gint64 last_activity_real;
};

typedef struct
{
  SrvConn *conn;
  SrvCall *call;
  JsonNode *id;
} Pending;

static void conn_update_watch (SrvConn *conn);
static void conn_process_input (SrvConn *conn);
static void do_read (SrvConn *conn);
static void audit_refusal (SrvCall *call, SrvDbConn *db);

/* Helpers */

#define conn_log(conn, level, ...)                                                                 \
  srv_log ((level), (conn)->id, (conn)->peer_full, NULL, __VA_ARGS__)

static void
set_state (SrvConn *conn, ConnState state)
{
  if (conn->state == state)
    return;
  srv_log (SRV_LOG_DEBUG, conn->id, conn->peer_full, NULL, "state %s -> %s",
           state_names[conn->state], state_names[state]);
  conn->state = state;
}

/* Closes the socket now; the registry frees the object later. */
static void
conn_kill (SrvConn *conn)
{
  if (conn->state == CONN_DEAD)
    return;
  if (conn->tls != NULL && conn->state != CONN_HANDSHAKE)
    srv_tls_shutdown (conn->tls);
  set_state (conn, CONN_DEAD);
  if (conn->watched)
    {
      epoll_ctl (poller->epfd, EPOLL_CTL_DEL, conn->fd, NULL);
      conn->watched = FALSE;
    }
  close (conn->fd);
  conn->fd = -1;
  conn_log (conn, SRV_LOG_DEBUG, "connection closed");
}

static gsize
out_pending (SrvConn *conn)
{
  return conn->out->len - conn->out_pos;
}

/* Writes what it can; returns FALSE if the connection died. */
static gboolean
conn_flush (SrvConn *conn)
{
  while (out_pending (conn) > 0)
    {
      g_autofree char *message = NULL;
      gsize written = 0;
      SrvTlsStatus status = srv_tls_write (conn->tls, (const char *)conn->out->data + conn->out_pos,
                                           out_pending (conn), &written, &message);
      switch (status)
        {
          case SRV_TLS_OK:
            conn->out_pos += written;
            break;
          case SRV_TLS_WANT_WRITE:
          case SRV_TLS_WANT_READ:
            conn->write_blocked = TRUE;
            return TRUE;
          case SRV_TLS_CLOSED:
          case SRV_TLS_ERROR:
          default:
            if (message != NULL)
              conn_log (conn, SRV_LOG_DEBUG, "%s", message);
            conn_kill (conn);
            return FALSE;
        }
    }
  conn->write_blocked = FALSE;
  g_byte_array_set_size (conn->out, 0);
  conn->out_pos = 0;
  if (conn->state == CONN_CLOSING)
    {
      conn_kill (conn);
      return FALSE;
    }
  return TRUE;
}

static void
queue_bytes (SrvConn *conn, const char *data, gsize len)
{
  if (conn->state == CONN_DEAD)
    return;
  /* Reclaim the sent prefix before growing. */
  if (conn->out_pos > 0 && conn->out_pos == conn->out->len)
    {
      g_byte_array_set_size (conn->out, 0);
      conn->out_pos = 0;
    }
  g_byte_array_append (conn->out, (const guint8 *)data, len);
}

static void
queue_error (SrvConn *conn, JsonNode *id, int code, JsonNode *data, const char *message)
{
  gsize len = 0;
  g_autofree char *line = kc_rpc_build_error (id, code, message, data, &len);

  queue_bytes (conn, line, len);
}

static void
queue_result (SrvConn *conn, JsonNode *id, const char *raw_result)
{
  g_autofree char *id_text = id != NULL ? kc_json_to_string (id, FALSE) : g_strdup ("null");
  GString *line = g_string_sized_new (strlen (raw_result) + 48);

  g_string_append (line, "{\"jsonrpc\":\"2.0\",\"id\":");
  g_string_append (line, id_text);
  g_string_append (line, ",\"result\":");
  g_string_append (line, raw_result);
  g_string_append (line, "}\n");
  queue_bytes (conn, line->str, line->len);
  g_string_free (line, TRUE);
}

static void
begin_close (SrvConn *conn)
{
  if (conn->state == CONN_DEAD)
    return;
  set_state (conn, CONN_CLOSING);
  conn->closing_since_mono = g_get_monotonic_time ();
  if (conn_flush (conn))
    conn_update_watch (conn);
}

static void
set_session (SrvConn *conn, SrvSession *session, SessionState state)
{
  SrvContext *ctx = srv_server_get_context (conn->server);

  g_clear_pointer (&conn->session, srv_session_unref);
  conn->session = session != NULL ? srv_session_ref (session) : NULL;
  conn->session_state = state;
  if (state != SESSION_ACTIVE)
    {
      conn->anonymous_since_mono = g_get_monotonic_time ();
      conn->must_change_password = FALSE;
      conn->must_enrol_totp = FALSE;
      conn->event_topics = 0;
      kc_frame_reader_set_max_line (conn->reader, ctx->config->max_anonymous_bytes);
    }
  else
    {
      kc_frame_reader_set_max_line (conn->reader, ctx->config->max_message_bytes);
      conn->last_activity_real = g_get_real_time ();
      conn->must_change_password = session->must_change_password;
      conn->must_enrol_totp = session->must_enrol_totp;
    }
}

static void
send_session_event (SrvConn *conn, const char *status)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) params = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *line = NULL;
  gsize len = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "topic");
  json_builder_add_string_value (b, "session");
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, conn->session != NULL ? conn->session->session_id : 0);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  json_builder_set_member_name (b, "version");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, at);
  json_builder_end_object (b);
  params = json_builder_get_root (b);
  line = kc_rpc_build_notification ("event", params, &len);
  queue_bytes (conn, line, len);
}

/* Marks the session expired and tells the client, once. */
static void
expire_session (SrvConn *conn, const char *status)
{
  if (conn->session_state != SESSION_ACTIVE)
    return;
  conn->session_state = SESSION_EXPIRED;
  conn->anonymous_since_mono = g_get_monotonic_time ();
  kc_frame_reader_set_max_line (conn->reader,
                                srv_server_get_context (conn->server)->config->max_anonymous_bytes);
  conn_log (conn, SRV_LOG_INFO, "session %" G_GINT64_FORMAT " of user \"%s\" %s",
            conn->session->session_id, conn->session->username, status);
  /* The connection logging out learns it from the reply, not from an
   * event that could overtake it. */
  if (conn->in_flight_method == NULL || !g_str_equal (conn->in_flight_method, "auth.logout"))
    send_session_event (conn, status);
  if (conn->state == CONN_OPEN && conn_flush (conn))
    conn_update_watch (conn);
}

/* Callbacks */

static void
call_work_cb (SrvDbConn *db, gpointer data)
{
  Pending *pending = data;
  SrvHandler handler
      = pending->call->next != NULL ? pending->call->next : pending->call->method->handler;

  pending->call->next = NULL;
  handler (pending->call, db);
  audit_refusal (pending->call, db);
}

static void
finish_call (SrvConn *conn, SrvCall *call, JsonNode *id)
{
  if (call->new_session != NULL
      && srv_server_count_connections (conn->server, NULL, call->new_session->user_id, conn)
             >= srv_server_get_context (conn->server)->config->max_connections_per_user)
    {
      /* The session is not installed and its token not sent: nobody can
       * use it, and it ends at its idle timeout. */
      JsonObject *data = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      conn_log (conn, SRV_LOG_INFO, "user \"%s\" has too many connections; login refused",
                call->new_session->username);
      json_object_set_int_member (data, "retry_after", 60);
      json_object_set_string_member (data, "reason", "too_many_connections");
      json_node_take_object (node, data);
      g_clear_pointer (&call->new_session, srv_session_unref);
      g_clear_pointer (&call->result_json, g_free);
      g_clear_pointer (&call->error_data, json_node_unref);
      g_clear_pointer (&call->error_message, g_free);
      call->error_code = KC_ERROR_TOO_MANY;
      call->error_message
          = g_strdup ("too many connections for this account (max_connections_per_user)");
      call->error_data = node;
    }
  if (call->new_session != NULL)
    {
      set_session (conn, call->new_session, SESSION_ACTIVE);
    }
  else if (call->end_session)
    set_session (conn, NULL, SESSION_NONE);
  else if (conn->revoked_in_login)
    expire_session (conn, "revoked");
  conn->revoked_in_login = FALSE;
  if (call->password_changed)
    conn->must_change_password = FALSE;
  if (call->totp_enrolled)
    conn->must_enrol_totp = FALSE;
  if (call->event_topics_set)
    conn->event_topics = call->event_topics;

  if (id == NULL)
    return; /* a notification: JSON-RPC says never answer it */
  if (call->error_code != 0)
    queue_error (conn, id, call->error_code, call->error_data, call->error_message);
  else if (call->result_json == NULL)
    queue_result (conn, id, "null");
  else
    {
      /* PostgreSQL writes {"a" : 1}; the wire wants compact lines. */
      kc_json_compact_inplace (call->result_json, strlen (call->result_json));
      queue_result (conn, id, call->result_json);
    }
}

static void
call_done_cb (gpointer data)
{
  Pending *pending = data;
  SrvConn *conn = pending->conn;

  /* A multi-stage call (login: look up, hash, record) goes on while the
   * connection lives; its stages are never cut short by a busy pool. */
  if (pending->call->next != NULL && !srv_call_failed (pending->call) && conn->state != CONN_DEAD)
    {
      SrvContext *ctx = srv_server_get_context (conn->server);
      if (pending->call->next_on_cpu)
        srv_db_submit_cpu (ctx->db, call_work_cb, call_done_cb, pending);
      else
        srv_db_submit (ctx->db, call_work_cb, call_done_cb, pending);
      return;
    }
  conn->in_flight = FALSE;
  conn->in_flight_method = NULL;
  if (conn->state != CONN_DEAD)
    {
      finish_call (conn, pending->call, pending->id);
      if (conn->shutting_down && conn->state == CONN_OPEN)
        set_state (conn, CONN_CLOSING);
      if (conn_flush (conn))
        {
          conn_process_input (conn);
          /* Bytes OpenSSL already decrypted would never wake poll(). */
          if (conn->state == CONN_OPEN && !conn->in_flight && srv_tls_has_pending (conn->tls))
            do_read (conn);
          conn_update_watch (conn);
        }
    }
  srv_call_free (pending->call);
  g_clear_pointer (&pending->id, json_node_unref);
  g_free (pending);
  srv_conn_unref (conn);
}

/* A refusal on record (issue 13): 1003, 1004 and failed resumes, audited
 * once a minute per caller, method, code and address (kc_audit_refusal,
 * sql/0024), on the call's worker before the answer goes out, so that
 * whoever reads the audit log after the answer finds it there. */
static void
audit_refusal (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *code = g_strdup_printf ("%d", call->error_code);
  const char *username = NULL;

  if (call->next != NULL || !srv_call_refusal_audited (call))
    return;
  if (call->session != NULL)
    {
      uid = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->user_id);
      username = call->session->username;
    }
  /* The refused call's own transaction, if it left one, is over. */
  srv_db_rollback (db);
  {
    const char *params[] = { uid, username, call->peer, call->method->name, code };
    rows = srv_db_exec (db, SRV_Q_AUDIT_REFUSAL, params, &error);
  }
  if (rows == NULL)
    srv_log (SRV_LOG_WARNING, call->conn_id, call->peer_full, call->request_id,
             "could not audit a refused %s: %s", call->method->name, error->message);
}

/* A stage that does nothing: call_work_cb then audits the refusal the
 * call already holds. */
static void
audit_only (SrvCall *call, SrvDbConn *db)
{
}

/* The answer of a statement sent from the main loop (SRV_METHOD_MAIN_LOOP). */
static void
deferred_done_cb (SrvRows *rows, GError *error, gpointer data)
{
  Pending *pending = data;
  SrvCall *call = pending->call;

  srv_outcome_apply (call, rows, error);
  srv_rows_free (rows);
  g_clear_error (&error);
  if (srv_call_refusal_audited (call))
    {
      /* Recorded before the answer goes out, as on a worker. */
      call->next = audit_only;
      srv_db_submit (srv_server_get_context (pending->conn->server)->db, call_work_cb, call_done_cb,
                     pending);
      return;
    }
  call_done_cb (pending);
}

/* An audited gate refusal (srv_dispatch_gate), answered by a worker so
 * that audit_refusal records it like the handlers' own. */
static void
refuse_gated (SrvCall *call, SrvDbConn *db)
{
  const SrvGateRule *rule = call->scratch;

  call->scratch = NULL;
  srv_call_set_error (call, rule->code, NULL, "%s", rule->message);
}

static void
queue_gate_error (SrvConn *conn, JsonNode *id, const SrvGateRule *rule)
{
  g_autoptr (JsonNode) node = NULL;

  if (id == NULL)
    return;
  if (rule->reason != NULL)
    {
      JsonObject *data = json_object_new ();

      json_object_set_string_member (data, "reason", rule->reason);
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, data);
    }
  queue_error (conn, id, rule->code, node, rule->message);
}

/* What the gate needs to know of this connection's caller; an active
 * session past its expiry or idle limit is expired here. */
static SrvGateState
gate_state (SrvConn *conn, gint64 now)
{
  SrvGateState state = 0;

  if (conn->session_state == SESSION_ACTIVE
      && (now >= conn->session->expires_at_us
          || now - conn->last_activity_real >= conn->session->idle_timeout_us))
    expire_session (conn, "expired");
  if (conn->session_state == SESSION_EXPIRED)
    state |= SRV_GATE_EXPIRED;
  else if (conn->session_state != SESSION_ACTIVE)
    state |= SRV_GATE_NO_SESSION;
  if (conn->must_change_password)
    state |= SRV_GATE_MUST_CHANGE_PASSWORD;
  if (conn->must_enrol_totp)
    state |= SRV_GATE_MUST_ENROL_TOTP;
  return state;
}

/* The pool a call that needs a worker runs on: a report on the standby's,
 * a write on the write pool (srv-method.h), anything else on pool_size's. */
static SrvDb *
method_db (const SrvContext *ctx, const SrvMethod *method)
{
  if ((method->flags & SRV_METHOD_REPLICA_OK) != 0 && ctx->report_db != NULL)
    return ctx->report_db;
  if ((method->flags & SRV_METHOD_WRITE) != 0 && ctx->write_db != NULL)
    return ctx->write_db;
  return ctx->db;
}

/* The gate (srv-dispatch.c), then run inline or hand to a worker. */
static void
dispatch (SrvConn *conn, KcRequest *request, const char *request_id)
{
  SrvContext *ctx = srv_server_get_context (conn->server);
  const SrvMethod *method = srv_dispatch_lookup (request->method);
  const SrvGateRule *refusal = NULL;
  SrvCall *call;

  if (method == NULL)
    {
      if (request->id != NULL)
        queue_error (conn, request->id, KC_ERROR_METHOD_NOT_FOUND, NULL, "method not found");
      return;
    }
  if (!(method->flags & SRV_METHOD_ANONYMOUS))
    {
      gint64 now = g_get_real_time ();
      SrvGateState state = gate_state (conn, now);

      refusal = srv_dispatch_gate (method, state,
                                   conn->session_state == SESSION_ACTIVE ? conn->session->role : 0);
      if (refusal != NULL && !refusal->audited)
        {
          queue_gate_error (conn, request->id, refusal);
          return;
        }
      conn->last_activity_real = now;
      conn->touched = TRUE;
    }

  call = srv_call_new (ctx, method, request->params,
                       conn->session_state == SESSION_ACTIVE ? conn->session : NULL);
  if (refusal != NULL)
    {
      call->next = refuse_gated;
      call->scratch = (gpointer)refusal;
    }
  call->peer = g_strdup (conn->peer_addr);
  call->peer_full = g_strdup (conn->peer_full);
  call->conn_id = conn->id;
  call->request_id = g_strdup (request_id);
  srv_log (SRV_LOG_DEBUG, conn->id, conn->peer_full, request_id, "%s", method->name);

  if ((method->flags & SRV_METHOD_INLINE) && refusal == NULL)
    {
      method->handler (call, NULL);
      finish_call (conn, call, request->id);
      srv_call_free (call);
      return;
    }

  if ((method->flags & SRV_METHOD_MAIN_LOOP) && refusal == NULL)
    {
      call->defer_read = TRUE;
      method->handler (call, NULL);
      if (call->deferred_def == NULL && !srv_call_refusal_audited (call))
        {
          /* Refused by its parameters: answered here. */
          finish_call (conn, call, request->id);
          srv_call_free (call);
          return;
        }
    }

  {
    Pending *pending = g_new0 (Pending, 1);
    pending->conn = srv_conn_ref (conn);
    pending->call = call;
    pending->id = request->id != NULL ? json_node_copy (request->id) : NULL;
    conn->in_flight = TRUE;
    conn->in_flight_method = method->name;
    if (call->defer_read)
      {
        const char *const *params = (const char *const *)call->deferred_params;

        /* No worker when a connection is ready: sent from here. Else a
         * worker runs it (and prepares it on its connection), or only
         * audits the refusal the handler made. */
        if (call->deferred_def != NULL
            && srv_db_send_async (ctx->db, call->deferred_def, params, deferred_done_cb, pending))
          return;
        call->next = call->deferred_def != NULL ? srv_outcome_run_deferred : audit_only;
        srv_db_submit (ctx->db, call_work_cb, call_done_cb, pending);
        return;
      }
    srv_db_submit (method_db (ctx, method), call_work_cb, call_done_cb, pending);
  }
}

/* Past KC_RPC_PLAIN_LINE_MAX a line is refused unless its method carries
 * a file and the file is one string member that makes up the excess
 * (docs/protocol.md, "Line limits"). */
static gboolean
bulk_line_allowed (const KcRequest *request, gsize len)
{
  static const char *const bulk_methods[] = { "attachment.put", "project.import" };
  gsize longest = 0;
  gboolean known = FALSE;
  JsonObjectIter iter;
  JsonNode *member;

  for (gsize i = 0; i < G_N_ELEMENTS (bulk_methods); i++)
    known = known || g_str_equal (request->method, bulk_methods[i]);
  if (!known || request->params == NULL)
    return FALSE;
  json_object_iter_init (&iter, request->params);
  while (json_object_iter_next (&iter, NULL, &member))
    if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
      longest = MAX (longest, strlen (json_node_get_string (member)));
  return len - MIN (len, longest) <= KC_RPC_PLAIN_LINE_MAX;
}

static void
line_parsed (SrvConn *conn, KcRequest *request, JsonNode *error_id, GError *error, gsize len)
{
  g_autofree char *request_id = NULL;

  if (request != NULL && len > KC_RPC_PLAIN_LINE_MAX && !bulk_line_allowed (request, len))
    {
      g_autofree char *message = g_strdup_printf (
          "message too large for %s: a line over %d bytes is only accepted from attachment.put "
          "and project.import, with the file as one string member",
          strlen (request->method) <= 64 ? request->method : "this method", KC_RPC_PLAIN_LINE_MAX);

      if (request->id != NULL)
        queue_error (conn, request->id, KC_ERROR_INVALID_REQUEST, NULL, message);
      return;
    }
  if (request == NULL)
    {
      g_autoptr (JsonNode) data = NULL;

      /* A notification (no "id") with bad params gets no answer, as any
       * notification; everything else is answered and the connection
       * stays usable (PROTOCOL.md). */
      if (error->code == KC_ERROR_INVALID_PARAMS)
        {
          g_autoptr (KcFieldErrors) fields = NULL;

          if (error_id == NULL)
            return;
          fields = kc_field_errors_new ();
          kc_field_errors_add (fields, "params", "must be an object");
          data = kc_field_errors_to_data (fields);
        }
      queue_error (conn, error_id, error->code, data, error->message);
      return;
    }
  if (request->id != NULL)
    request_id = kc_json_to_string (request->id, FALSE);
  dispatch (conn, request, request_id);
}

/* A line longer than this is parsed on the CPU pool, never on the main
 * loop, so one caller's megabytes never delay the others' answers. */
#define PARSE_INLINE_MAX (64 * 1024)

typedef struct
{
  SrvConn *conn;
  char *line;
  gsize len;
  KcRequest *request;
  JsonNode *error_id;
  GError *error;
} ParseJob;

static void
parse_work_cb (SrvDbConn *db, gpointer data)
{
  ParseJob *job = data;

  job->request = kc_request_parse (job->line, job->len, &job->error_id, &job->error);
  g_clear_pointer (&job->line, g_free);
}

static void
parse_done_cb (gpointer data)
{
  ParseJob *job = data;
  SrvConn *conn = job->conn;

  conn->in_flight = FALSE;
  if (conn->state != CONN_DEAD)
    {
      line_parsed (conn, job->request, job->error_id, job->error, job->len);
      if (conn_flush (conn))
        {
          conn_process_input (conn);
          if (conn->state == CONN_OPEN && !conn->in_flight && srv_tls_has_pending (conn->tls))
            do_read (conn);
          conn_update_watch (conn);
        }
    }
  g_clear_pointer (&job->request, kc_request_free);
  g_clear_pointer (&job->error_id, json_node_unref);
  g_clear_error (&job->error);
  g_free (job->line);
  g_free (job);
  srv_conn_unref (conn);
}

static void
handle_line (SrvConn *conn, char *line, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) error_id = NULL;
  g_autoptr (KcRequest) request = NULL;

  if (len > PARSE_INLINE_MAX)
    {
      ParseJob *job = g_new0 (ParseJob, 1);

      job->conn = srv_conn_ref (conn);
      job->line = line;
      job->len = len;
      conn->in_flight = TRUE;
      conn->in_flight_method = NULL;
      srv_db_submit_cpu (srv_server_get_context (conn->server)->db, parse_work_cb, parse_done_cb,
                         job);
      return;
    }
  request = kc_request_parse (line, len, &error_id, &error);
  g_free (line);
  line_parsed (conn, request, error_id, error, len);
}

/* The value of member @name ("method", "id") in @head, the part of a line
 * before its "params": a string (no escapes, at most 64 bytes) or an
 * integer, as JSON; NULL when not found. Only a hint for refusing a line
 * early: the whole line, when it is read, is parsed properly. */
static JsonNode *
head_member (const char *head, gsize len, const char *name)
{
  g_autofree char *key = g_strdup_printf ("\"%s\"", name);
  gsize key_len = strlen (key);
  const char *p = head, *end = head + len;

  while ((p = memmem (p, (gsize)(end - p), key, key_len)) != NULL)
    {
      const char *v = p + key_len;

      p = v;
      while (v < end && (*v == ' ' || *v == '\t'))
        v++;
      if (v >= end || *v != ':')
        continue;
      v++;
      while (v < end && (*v == ' ' || *v == '\t'))
        v++;
      if (v < end && *v == '"')
        {
          const char *close = memchr (v + 1, '"', MIN ((gsize)(end - v - 1), 65));
          g_autofree char *text = NULL;
          JsonNode *node;

          if (close == NULL || memchr (v + 1, '\\', (gsize)(close - v - 1)) != NULL)
            return NULL;
          text = g_strndup (v + 1, (gsize)(close - v - 1));
          if (!g_utf8_validate (text, -1, NULL))
            return NULL;
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_string (node, text);
          return node;
        }
      if (v < end && (g_ascii_isdigit (*v) || *v == '-'))
        {
          char digits[24];
          gsize n = 0;
          gint64 value;
          char *stop;
          JsonNode *node;

          while (v + n < end && n < sizeof digits - 1
                 && (g_ascii_isdigit (v[n]) || (n == 0 && *v == '-')))
            n++;
          memcpy (digits, v, n);
          digits[n] = '\0';
          value = g_ascii_strtoll (digits, &stop, 10);
          if (*stop != '\0' || n == 0
              || (v + n < end && (v[n] == '.' || v[n] == 'e' || v[n] == 'E')))
            return NULL;
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_int (node, value);
          return node;
        }
      return NULL;
    }
  return NULL;
}

/* A line still arriving and already over KC_RPC_PLAIN_LINE_MAX: unless the
 * part before its "params" names a method that carries a file, it is
 * refused now — answered, and the rest of it dropped as it comes — rather
 * than once all of it has arrived (up to max_message_bytes later). The
 * connection stays usable. */
static void
check_partial_line (SrvConn *conn)
{
  g_autoptr (JsonNode) method = NULL;
  g_autoptr (JsonNode) id = NULL;
  g_autofree char *message = NULL;
  const char *head, *params;
  gsize len = 0;

  if (conn->partial_bulk_ok)
    return;
  head = kc_frame_reader_peek_partial (conn->reader, &len);
  if (head == NULL || len <= KC_RPC_PLAIN_LINE_MAX)
    return;
  len = KC_RPC_PLAIN_LINE_MAX;
  params = memmem (head, len, "\"params\"", 8);
  if (params != NULL)
    len = (gsize)(params - head);
  method = head_member (head, len, "method");
  if (method != NULL
      && (g_str_equal (json_node_get_string (method), "attachment.put")
          || g_str_equal (json_node_get_string (method), "project.import")))
    {
      conn->partial_bulk_ok = TRUE;
      return;
    }
  id = head_member (head, len, "id");
  message = g_strdup_printf (
      "message too large for %s: a line over %d bytes is only accepted from attachment.put "
      "and project.import, with the file as one string member (and \"method\" before "
      "\"params\")",
      method != NULL && strlen (json_node_get_string (method)) <= 64 ? json_node_get_string (method)
                                                                     : "this method",
      KC_RPC_PLAIN_LINE_MAX);
  conn_log (conn, SRV_LOG_WARNING, "a line past %d bytes refused before its end",
            KC_RPC_PLAIN_LINE_MAX);
  kc_frame_reader_skip_partial (conn->reader);
  queue_error (conn, id, KC_ERROR_INVALID_REQUEST, NULL, message);
}

static void
conn_process_input (SrvConn *conn)
{
  while (conn->state == CONN_OPEN && !conn->in_flight && !conn->shutting_down
         && out_pending (conn) < OUT_HIGH_WATER)
    {
      g_autofree char *line = NULL;
      gsize len = 0;
      KcFrameStatus status = kc_frame_reader_next (conn->reader, &line, &len);

      if (status == KC_FRAME_NEED_MORE)
        {
          check_partial_line (conn);
          break;
        }
      conn->partial_bulk_ok = FALSE;
      if (status == KC_FRAME_TOO_LONG)
        {
          SrvContext *ctx = srv_server_get_context (conn->server);
          g_autofree char *message = g_strdup_printf (
              "message too large: the limit is %" G_GSIZE_FORMAT " bytes",
              conn->session_state == SESSION_ACTIVE ? ctx->config->max_message_bytes
                                                    : ctx->config->max_anonymous_bytes);
          conn_log (conn, SRV_LOG_WARNING, "%s; closing", message);
          queue_error (conn, NULL, KC_ERROR_INVALID_REQUEST, NULL, message);
          begin_close (conn);
          return;
        }
      handle_line (conn, g_steal_pointer (&line), len);
    }
  if (conn->state == CONN_OPEN)
    conn->partial_since_mono
        = kc_frame_reader_has_partial (conn->reader)
              ? (conn->partial_since_mono ? conn->partial_since_mono : g_get_monotonic_time ())
              : 0;
  if (conn->shutting_down && !conn->in_flight && conn->state == CONN_OPEN)
    begin_close (conn);
}

static void
do_handshake (SrvConn *conn)
{
  g_autofree char *message = NULL;
  SrvTlsStatus status = srv_tls_handshake (conn->tls, &message);
  char description[128];

  switch (status)
    {
      case SRV_TLS_OK:
        set_state (conn, CONN_OPEN);
        conn->anonymous_since_mono = g_get_monotonic_time ();
        conn_log (conn, SRV_LOG_DEBUG, "TLS established: %s",
                  srv_tls_describe (conn->tls, description, sizeof description));
        break;
      case SRV_TLS_WANT_READ:
      case SRV_TLS_WANT_WRITE:
        conn->write_blocked = status == SRV_TLS_WANT_WRITE;
        break;
      case SRV_TLS_CLOSED:
      case SRV_TLS_ERROR:
      default:
        conn_log (conn, SRV_LOG_INFO, "%s", message != NULL ? message : "TLS handshake failed");
        conn_kill (conn);
        break;
    }
}

/* Reads exactly the PROXY v2 header, never a byte of the TLS that
 * follows it, and takes the client address from it. */
static void
do_proxy (SrvConn *conn)
{
  for (;;)
    {
      g_autofree char *addr = NULL;
      gsize needed = SRV_PROXY_HEADER_MIN;
      guint16 port = 0;
      SrvProxyStatus status
          = srv_proxy_parse (conn->proxy_buf, conn->proxy_len, &needed, &addr, &port);
      ssize_t n;

      if (status == SRV_PROXY_INVALID || needed > sizeof conn->proxy_buf)
        {
          conn_log (conn, SRV_LOG_INFO, "invalid PROXY protocol header from a trusted balancer");
          conn_kill (conn);
          return;
        }
      if (status == SRV_PROXY_DONE)
        {
          conn->proxy_pending = FALSE;
          if (addr != NULL)
            {
              char *full = strchr (addr, ':') != NULL ? g_strdup_printf ("[%s]:%u", addr, port)
                                                      : g_strdup_printf ("%s:%u", addr, port);

              conn_log (conn, SRV_LOG_DEBUG, "client %s via balancer", full);
              g_free (conn->peer_addr);
              g_free (conn->peer_full);
              conn->peer_addr = g_steal_pointer (&addr);
              conn->peer_full = full;
              if (srv_server_count_connections (conn->server, conn->peer_addr, 0, conn)
                  >= srv_server_get_context (conn->server)->config->max_connections_per_address)
                {
                  conn_log (conn, SRV_LOG_INFO, "too many connections from this address; closing");
                  conn_kill (conn);
                }
            }
          return;
        }
      n = recv (conn->fd, conn->proxy_buf + conn->proxy_len, needed - conn->proxy_len, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      if (n <= 0)
        {
          conn_kill (conn);
          return;
        }
      conn->proxy_len += (gsize)n;
    }
}

static gboolean
continue_read_cb (gpointer data)
{
  SrvConn *conn = data;

  conn->read_idle = 0;
  if (conn->state == CONN_OPEN && !conn->in_flight && srv_tls_has_pending (conn->tls))
    {
      do_read (conn);
      if (conn->state != CONN_DEAD && out_pending (conn) > 0)
        conn_flush (conn);
      conn_update_watch (conn);
    }
  return G_SOURCE_REMOVE;
}

static void
do_read (SrvConn *conn)
{
  char buffer[READ_CHUNK];
  gsize budget = READ_BUDGET;

  conn->read_budget_hit = FALSE;
  while (conn->state == CONN_OPEN)
    {
      if (budget == 0)
        {
          /* The socket stays readable (level-triggered); bytes OpenSSL
           * already holds would not wake the poller: an idle turn reads
           * them. */
          conn->read_budget_hit = TRUE;
          if (srv_tls_has_pending (conn->tls) && conn->read_idle == 0)
            conn->read_idle = g_idle_add_full (G_PRIORITY_DEFAULT, continue_read_cb,
                                               srv_conn_ref (conn), (GDestroyNotify)srv_conn_unref);
          break;
        }
      g_autofree char *message = NULL;
      gsize n = 0;
      SrvTlsStatus status;

      if (conn->in_flight && kc_frame_reader_buffered (conn->reader) > IN_PAUSE_BYTES)
        break;
      status = srv_tls_read (conn->tls, buffer, sizeof buffer, &n, &message);
      if (status == SRV_TLS_OK)
        {
          budget -= MIN (budget, n);
          kc_frame_reader_feed (conn->reader, buffer, n);
          /* Give each line a chance to be answered before reading on, so a
           * pipelining client is served in order without unbounded input. */
          conn_process_input (conn);
          continue;
        }
      if (status == SRV_TLS_WANT_READ || status == SRV_TLS_WANT_WRITE)
        break;
      if (message != NULL)
        conn_log (conn, SRV_LOG_DEBUG, "%s", message);
      conn_kill (conn);
      return;
    }
}

static guint32
poll_events (GIOCondition want)
{
  return ((want & G_IO_IN) ? EPOLLIN : 0) | ((want & G_IO_OUT) ? EPOLLOUT : 0);
}

static void
conn_update_watch (SrvConn *conn)
{
  GIOCondition want = 0;

  if (conn->state == CONN_DEAD || !conn->watched)
    return;
  if (conn->state == CONN_HANDSHAKE)
    want = G_IO_IN | (conn->write_blocked ? G_IO_OUT : 0);
  else
    {
      gboolean paused
          = conn->state == CONN_CLOSING
            || (conn->in_flight && kc_frame_reader_buffered (conn->reader) > IN_PAUSE_BYTES)
            || out_pending (conn) >= OUT_HIGH_WATER;
      if (!paused)
        want |= G_IO_IN;
      if (out_pending (conn) > 0)
        want |= G_IO_OUT;
    }
  if (want != conn->watching)
    {
      struct epoll_event ev = { .events = poll_events (want), .data.ptr = conn };

      epoll_ctl (poller->epfd, EPOLL_CTL_MOD, conn->fd, &ev);
      conn->watching = want;
    }
}

static void
conn_handle_events (SrvConn *conn, GIOCondition events)
{
  srv_conn_ref (conn);

  if (conn->state == CONN_HANDSHAKE && conn->proxy_pending)
    do_proxy (conn);
  if (conn->state == CONN_HANDSHAKE && !conn->proxy_pending)
    do_handshake (conn);
  if (conn->state != CONN_HANDSHAKE && conn->state != CONN_DEAD)
    {
      if ((events & G_IO_OUT) && out_pending (conn) > 0)
        conn_flush (conn);
      if ((events & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && conn->state == CONN_OPEN)
        do_read (conn);
      /* OpenSSL may hold decrypted bytes poll() cannot see. */
      while (conn->state == CONN_OPEN && srv_tls_has_pending (conn->tls) && !conn->in_flight
             && !conn->read_budget_hit)
        do_read (conn);
      if (conn->state != CONN_DEAD && out_pending (conn) > 0)
        conn_flush (conn);
    }
  else if (conn->state == CONN_HANDSHAKE && (events & (G_IO_HUP | G_IO_ERR)))
    conn_kill (conn);
  conn_update_watch (conn);
  srv_conn_unref (conn);
}

/* A connection killed while handling an earlier event of the same batch
 * is DEAD but not freed yet (the janitor frees it, in a dispatch of its
 * own), and handling a DEAD connection does nothing. */
static gboolean
poller_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  ConnPoller *p = (ConnPoller *)source;
  struct epoll_event ev[64];
  int n = epoll_wait (p->epfd, ev, G_N_ELEMENTS (ev), 0);

  for (int i = 0; i < n; i++)
    {
      GIOCondition events = 0;

      if (ev[i].events & EPOLLIN)
        events |= G_IO_IN;
      if (ev[i].events & EPOLLOUT)
        events |= G_IO_OUT;
      if (ev[i].events & EPOLLHUP)
        events |= G_IO_HUP;
      if (ev[i].events & EPOLLERR)
        events |= G_IO_ERR;
      conn_handle_events (ev[i].data.ptr, events);
    }
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs poller_funcs = {
  .dispatch = poller_dispatch,
};

/* The poller of the default main context, made on first use; it lives as
 * long as the process. */
static ConnPoller *
poller_get (void)
{
  if (poller == NULL)
    {
      int epfd = epoll_create1 (EPOLL_CLOEXEC);

      if (epfd < 0)
        return NULL;
      poller = (ConnPoller *)g_source_new (&poller_funcs, sizeof (ConnPoller));
      poller->epfd = epfd;
      g_source_add_unix_fd ((GSource *)poller, epfd, G_IO_IN);
      g_source_set_name ((GSource *)poller, "kc-conns");
      g_source_attach ((GSource *)poller, NULL);
    }
  return poller;
}

/* Public API */

SrvConn *
srv_conn_new (SrvServer *server, int fd, guint64 id, const char *peer_addr, const char *peer_full)
{
  SrvContext *ctx = srv_server_get_context (server);
  SrvConn *conn = g_new0 (SrvConn, 1);

  conn->ref_count = 1;
  conn->server = server;
  conn->id = id;
  conn->fd = fd;
  conn->peer_addr = g_strdup (peer_addr);
  conn->peer_full = g_strdup (peer_full);
  conn->state = CONN_HANDSHAKE;
  conn->reader = kc_frame_reader_new (ctx->config->max_anonymous_bytes);
  conn->out = g_byte_array_new ();
  conn->accepted_mono = g_get_monotonic_time ();
  conn->anonymous_since_mono = conn->accepted_mono;
  conn->proxy_pending = srv_proxy_trusted (ctx->config->proxy_trusted, peer_addr);
  conn->tls = srv_tls_new (srv_server_get_tls (server), fd);
  if (conn->tls == NULL)
    {
      conn_log (conn, SRV_LOG_WARNING, "could not create a TLS session");
      conn_kill (conn);
      return conn;
    }

  {
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = conn };

    if (poller_get () == NULL || epoll_ctl (poller->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
      {
        conn_log (conn, SRV_LOG_WARNING, "could not watch the socket: %s", g_strerror (errno));
        conn_kill (conn);
        return conn;
      }
  }
  conn->watched = TRUE;
  conn->watching = G_IO_IN;
  conn_log (conn, SRV_LOG_DEBUG, "connection accepted");
  return conn;
}

SrvConn *
srv_conn_ref (SrvConn *conn)
{
  conn->ref_count++;
  return conn;
}

void
srv_conn_unref (SrvConn *conn)
{
  if (--conn->ref_count > 0)
    return;
  conn_kill (conn);
  srv_tls_free (conn->tls);
  kc_frame_reader_free (conn->reader);
  g_byte_array_unref (conn->out);
  g_clear_pointer (&conn->session, srv_session_unref);
  g_free (conn->peer_addr);
  g_free (conn->peer_full);
  g_free (conn);
}

guint64
srv_conn_get_id (SrvConn *conn)
{
  return conn->id;
}

gboolean
srv_conn_is_dead (SrvConn *conn)
{
  return conn->state == CONN_DEAD;
}

const char *
srv_conn_get_peer (SrvConn *conn)
{
  return conn->proxy_pending ? NULL : conn->peer_addr;
}

gint64
srv_conn_get_user_id (SrvConn *conn)
{
  return conn->session_state == SESSION_ACTIVE ? conn->session->user_id : 0;
}

void
srv_conn_check_timeouts (SrvConn *conn, gint64 now_mono, gint64 now_real)
{
  const SrvConfig *config = srv_server_get_context (conn->server)->config;

  switch (conn->state)
    {
      case CONN_HANDSHAKE:
        if (now_mono - conn->accepted_mono > (gint64)config->handshake_timeout * G_USEC_PER_SEC)
          {
            conn_log (conn, SRV_LOG_INFO, "TLS handshake timed out after %u s; closing",
                      config->handshake_timeout);
            conn_kill (conn);
          }
        return;
      case CONN_OPEN:
        break;
      case CONN_CLOSING:
        /* A client that never reads its last reply must not pin us. */
        if (now_mono - conn->closing_since_mono > 10 * G_USEC_PER_SEC && !conn->in_flight)
          conn_kill (conn);
        return;
      case CONN_DEAD:
      default:
        return;
    }

  if (conn->partial_since_mono != 0
      && now_mono - conn->partial_since_mono > (gint64)config->line_timeout * G_USEC_PER_SEC)
    {
      conn_log (conn, SRV_LOG_INFO, "unfinished message for over %u s; closing",
                config->line_timeout);
      queue_error (conn, NULL, KC_ERROR_INVALID_REQUEST, NULL,
                   "message not finished in time; closing");
      begin_close (conn);
      return;
    }
  if (conn->session_state == SESSION_ACTIVE)
    {
      if (now_real >= conn->session->expires_at_us
          || now_real - conn->last_activity_real >= conn->session->idle_timeout_us)
        expire_session (conn, "expired");
      return;
    }
  if (!conn->in_flight
      && now_mono - conn->anonymous_since_mono > (gint64)config->login_timeout * G_USEC_PER_SEC)
    {
      conn_log (conn, SRV_LOG_INFO, "not logged in within %u s; closing", config->login_timeout);
      queue_error (conn, NULL, KC_ERROR_NOT_LOGGED_IN, NULL,
                   "not logged in within the time allowed; closing");
      begin_close (conn);
    }
}

gint64
srv_conn_get_session_id (SrvConn *conn)
{
  return conn->session_state == SESSION_ACTIVE ? conn->session->session_id : 0;
}

gboolean
srv_conn_take_touched (SrvConn *conn)
{
  gboolean touched = conn->touched;
  conn->touched = FALSE;
  return touched && conn->session_state == SESSION_ACTIVE;
}

void
srv_conn_revoke_session (SrvConn *conn, gint64 session_id)
{
  /* A login on a logged-in connection revokes the session it replaces; the
   * connection learns of the new one from the reply, so the revocation is
   * no news to it unless the login fails (then finish_call expires it). */
  if (conn->in_flight_method != NULL && g_str_equal (conn->in_flight_method, "auth.login")
      && conn->session_state == SESSION_ACTIVE && conn->session->session_id == session_id)
    {
      conn->revoked_in_login = TRUE;
      return;
    }
  if (conn->session_state == SESSION_ACTIVE && conn->session->session_id == session_id
      && conn->state != CONN_DEAD)
    expire_session (conn, "revoked");
}

void
srv_conn_lift_gate (SrvConn *conn, gint64 session_id, const char *gate)
{
  if (conn->session_state != SESSION_ACTIVE || conn->session->session_id != session_id)
    return;
  if (g_str_equal (gate, "password"))
    conn->must_change_password = FALSE;
  else if (g_str_equal (gate, "totp"))
    conn->must_enrol_totp = FALSE;
}

void
srv_conn_begin_shutdown (SrvConn *conn)
{
  conn->shutting_down = TRUE;
  if (conn->state == CONN_HANDSHAKE)
    conn_kill (conn);
  else if (conn->state == CONN_OPEN && !conn->in_flight)
    begin_close (conn);
}

void
srv_conn_deliver_event (SrvConn *conn, const SrvEvent *event)
{
  if (conn->state != CONN_OPEN || conn->session_state != SESSION_ACTIVE
      || !(conn->event_topics & event->topic)
      || !srv_event_visible (event, conn->session->scope_root))
    return;
  /* A client that stopped reading does not get an unbounded backlog: it
   * will reload when it reads again. */
  if (out_pending (conn) >= OUT_HIGH_WATER)
    return;
  queue_bytes (conn, event->line, event->line_len);
  if (conn_flush (conn))
    conn_update_watch (conn);
}
