/*
 * srv-conn.h — one client connection, from accept() to close: TLS
 * handshake, line framing, the session it is logged into, requests
 * answered one at a time in the order received.
 *
 * Owned by the server's registry; calls in flight hold a reference, so a
 * connection that dies while the database works is freed when they return.
 * Never freed from inside its own callbacks.
 */
#pragma once

#include <glib.h>

#include "srv-events.h"
#include "srv-server.h"

G_BEGIN_DECLS

typedef struct _SrvConn SrvConn;

/* Takes ownership of @fd (non-blocking). Starts watching it at once. */
SrvConn *srv_conn_new (SrvServer *server, int fd, guint64 id, const char *peer_addr,
                       const char *peer_full);
SrvConn *srv_conn_ref (SrvConn *conn);
void srv_conn_unref (SrvConn *conn);

guint64 srv_conn_get_id (SrvConn *conn);
/* TRUE once closed: the registry drops it. */
gboolean srv_conn_is_dead (SrvConn *conn);
/* The client's address (after a PROXY header), and the logged-in user (0: none). */
const char *srv_conn_get_peer (SrvConn *conn);
gint64 srv_conn_get_user_id (SrvConn *conn);

/* Janitor: timeouts of handshake, unfinished line, login, session expiry. */
void srv_conn_check_timeouts (SrvConn *conn, gint64 now_mono, gint64 now_real);

/* Session id if logged in (and not revoked), else 0. */
gint64 srv_conn_get_session_id (SrvConn *conn);
/* TRUE if the session was used since the last call (and clears the flag). */
gboolean srv_conn_take_touched (SrvConn *conn);
/* The session was revoked elsewhere: the next call gets 1002. */
void srv_conn_revoke_session (SrvConn *conn, gint64 session_id);
/* The session's password was changed ("password") or its second factor
 * enrolled ("totp") on some connection: lift that gate here too. */
void srv_conn_lift_gate (SrvConn *conn, gint64 session_id, const char *gate);

/* Sends @event if this connection subscribed to its topic and its session
 * may see it (see srv-events.h). */
void srv_conn_deliver_event (SrvConn *conn, const SrvEvent *event);

/* SIGTERM: read no more requests; close once the one in flight is answered. */
void srv_conn_begin_shutdown (SrvConn *conn);

G_END_DECLS
