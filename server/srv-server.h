/*
 * srv-server.h — the daemon: listening socket, connection registry,
 * janitor timer, signals, and the session-revocation listener. One per
 * process, created by main.c; owns every server-wide object (SrvContext,
 * TLS context, database pool).
 */
#pragma once

#include <glib.h>

#include "srv-call.h"
#include "srv-tls.h"

G_BEGIN_DECLS

typedef struct _SrvServer SrvServer;
struct _SrvConn;

/* Loads TLS, binds the socket and opens the database pool. @config is
 * borrowed and must outlive the server; @config_path is re-read on SIGHUP
 * for the certificate paths. */
SrvServer *srv_server_new (SrvConfig *config, const char *config_path, GError **error);
void srv_server_free (SrvServer *server);

/* Runs until SIGTERM/SIGINT has drained the connections. Returns the
 * process exit status. */
int srv_server_run (SrvServer *server);

/* For connections (transfer none). */
SrvContext *srv_server_get_context (SrvServer *server);
SrvTlsContext *srv_server_get_tls (SrvServer *server);
/* Live connections from @peer_addr (if not NULL) or logged in as @user_id
 * (if > 0), not counting @except: the per-address and per-user caps. */
guint srv_server_count_connections (SrvServer *server, const char *peer_addr, gint64 user_id,
                                    struct _SrvConn *except);

G_END_DECLS
