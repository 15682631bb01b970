/*
 * srv-server-private.h — the server's state, shared by the modules that
 * make up the daemon (srv-server.c: lifecycle, signals, notifications;
 * srv-janitor.c: the once-a-second housekeeping). Main thread only.
 */
#pragma once

#include "srv-audit-seal.h"
#include "srv-db-notify.h"
#include "srv-listener.h"
#include "srv-replica.h"
#include "srv-server.h"

G_BEGIN_DECLS

struct _SrvServer
{
  SrvContext ctx;
  char *config_path;
  SrvTlsContext *tls;
  SrvNotify *notify;
  SrvAuditSealer *sealer;
  SrvReplica *replica; /* (nullable) report_conninfo */
  GMainLoop *loop;

  SrvListener *listener;
  guint janitor_source;
  guint sigterm_source, sigint_source, sighup_source;

  GHashTable *conns; /* id → SrvConn (owned) */
  guint64 next_conn_id;
  gboolean warned_full;

  gboolean shutting_down;
  gint64 shutdown_deadline;
  gint64 last_touch_mono;
  gint64 last_replica_poll_mono;
  int exit_status;
};

/* srv-janitor.c */

/* Once a second: timeouts, dead connections, abandoned uploads, session
 * activity, the standby's lag, and the end of a shutdown. */
gboolean srv_janitor_cb (gpointer user_data);
/* Writes last_seen_at now for the sessions used since the last time. */
void srv_janitor_flush_activity (SrvServer *server);
/* "{1,2,3}": the sessions held by open connections (only those used since
 * the last call with @touched_only), or NULL when there are none. */
char *srv_janitor_session_ids (SrvServer *server, gboolean touched_only);

G_END_DECLS
