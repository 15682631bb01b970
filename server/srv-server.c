/*
 * srv-server.c — the daemon around the connections.
 *
 * One thread runs the GMainLoop: accepting (srv-listener.c), TLS, framing,
 * dispatch and replies for every connection (srv-conn.c). Handlers run on the database pool's
 * worker threads; a further thread listens for revocations. The janitor
 * (srv-janitor.c) runs once a second.
 */
#include "srv-server-private.h"

#include <unistd.h>
#include <glib-unix.h>
#include <gio/gio.h>

#include "srv-audit-seal.h"
#include "srv-conn.h"
#include "srv-db-notify.h"
#include "srv-handlers.h"
#include "srv-listener.h"
#include "srv-log.h"
#include "srv-proxy.h"
#include "srv-replica.h"
#include "srv-service-manager.h"

/* Helpers */

guint
srv_server_count_connections (SrvServer *server, const char *peer_addr, gint64 user_id,
                              SrvConn *except)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, server->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value != except && !srv_conn_is_dead (value)
        && (peer_addr == NULL || g_strcmp0 (srv_conn_get_peer (value), peer_addr) == 0)
        && (user_id <= 0 || srv_conn_get_user_id (value) == user_id))
      n++;
  return n;
}

/* After the listener (re)connects, notifications may have been missed:
 * ask the database which of our sessions died meanwhile. */
typedef struct
{
  SrvServer *server;
  char *ids;
  GArray *dead;
} Recheck;

static void
recheck_work_cb (SrvDbConn *db, gpointer data)
{
  Recheck *r = data;
  g_autoptr (GError) error = NULL;
  const char *params[] = { r->ids };
  g_autoptr (SrvRows) rows = srv_db_exec (db, SRV_Q_SESSIONS_DEAD, params, &error);

  if (rows == NULL)
    return;
  for (guint i = 0; i < rows->n_rows; i++)
    {
      gint64 id = srv_rows_get_int64 (rows, i, 0);
      g_array_append_val (r->dead, id);
    }
}

static void
revoke_everywhere (SrvServer *server, gint64 session_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, server->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    srv_conn_revoke_session (value, session_id);
}

static void
recheck_done_cb (gpointer data)
{
  Recheck *r = data;

  for (guint i = 0; i < r->dead->len; i++)
    revoke_everywhere (r->server, g_array_index (r->dead, gint64, i));
  g_array_unref (r->dead);
  g_free (r->ids);
  g_free (r);
}

/* Callbacks */

static void
notify_cb (const char *channel, const char *payload, gpointer user_data)
{
  SrvServer *server = user_data;
  gint64 session_id;

  if (g_str_equal (channel, "kc_session") && payload != NULL
      && g_str_has_prefix (payload, "ungate:"))
    {
      /* "ungate:password:<id>" or "ungate:totp:<id>" (srv-handler-auth.c):
       * every connection of the session passes that gate now. */
      g_auto (GStrv) parts = g_strsplit (payload, ":", 3);
      GHashTableIter iter;
      gpointer value;

      session_id = g_strv_length (parts) == 3 ? g_ascii_strtoll (parts[2], NULL, 10) : 0;
      g_hash_table_iter_init (&iter, server->conns);
      while (session_id > 0 && g_hash_table_iter_next (&iter, NULL, &value))
        srv_conn_lift_gate (value, session_id, parts[1]);
    }
  else if (g_str_equal (channel, "kc_session") && payload != NULL)
    {
      session_id = g_ascii_strtoll (payload, NULL, 10);
      if (session_id > 0)
        revoke_everywhere (server, session_id);
    }
  else if (g_str_equal (channel, "kc_event"))
    {
      g_autoptr (SrvEvent) event = srv_event_parse (payload);
      GHashTableIter iter;
      gpointer value;

      if (event == NULL)
        {
          srv_log_warning ("ignored a malformed kc_event notification");
          return;
        }
      g_hash_table_iter_init (&iter, server->conns);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        srv_conn_deliver_event (value, event);
    }
}

static void
notify_connected_cb (gpointer user_data)
{
  SrvServer *server = user_data;
  char *ids = srv_janitor_session_ids (server, FALSE);
  Recheck *r;

  if (ids == NULL)
    return;
  r = g_new0 (Recheck, 1);
  r->server = server;
  r->ids = ids;
  r->dead = g_array_new (FALSE, FALSE, sizeof (gint64));
  srv_db_submit (server->ctx.db, recheck_work_cb, recheck_done_cb, r);
}

/* Each accepted socket: kept unless a limit says no. */
static void
accepted_cb (int client, const char *host, const char *full, gpointer user_data)
{
  SrvServer *server = user_data;
  SrvConn *conn;

  if (g_hash_table_size (server->conns) >= server->ctx.config->max_connections)
    {
      if (!server->warned_full)
        srv_log_warning ("connection limit of %u reached; refusing %s",
                         server->ctx.config->max_connections, full);
      server->warned_full = TRUE;
      close (client);
      return;
    }
  server->warned_full = FALSE;
  /* One address may not take the whole server (a trusted balancer
   * speaks for many clients: its own are counted after its header). */
  if (!srv_proxy_trusted (server->ctx.config->proxy_trusted, host)
      && srv_server_count_connections (server, host, 0, NULL)
             >= server->ctx.config->max_connections_per_address)
    {
      srv_log_info ("%s has %u connections already (max_connections_per_address); refused", host,
                    server->ctx.config->max_connections_per_address);
      close (client);
      return;
    }
  conn = srv_conn_new (server, client, ++server->next_conn_id, host, full);
  g_hash_table_insert (server->conns, g_memdup2 (&server->next_conn_id, sizeof (guint64)), conn);
}

static gboolean
shutdown_cb (gpointer user_data)
{
  SrvServer *server = user_data;
  GHashTableIter iter;
  gpointer value;

  if (server->shutting_down)
    return G_SOURCE_CONTINUE;
  srv_log_info ("shutting down: no new connections; finishing %u open ones",
                g_hash_table_size (server->conns));
  server->shutting_down = TRUE;
  srv_service_manager_stopping ();
  server->shutdown_deadline
      = g_get_monotonic_time () + (gint64)server->ctx.config->shutdown_timeout * G_USEC_PER_SEC;
  srv_listener_close (server->listener);

  g_hash_table_iter_init (&iter, server->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    srv_conn_begin_shutdown (value);
  srv_janitor_flush_activity (server);
  srv_janitor_cb (server);
  return G_SOURCE_CONTINUE;
}

static gboolean
reload_cb (gpointer user_data)
{
  SrvServer *server = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvConfig) fresh = NULL;
  SrvConfig *config = server->ctx.config;

  if (server->shutting_down)
    return G_SOURCE_CONTINUE;
  /* The manager holds "reloading" until READY=1: whatever the outcome,
   * the old certificate or the new one is served when we say ready. */
  srv_service_manager_reloading ();
  fresh = srv_config_load (server->config_path, &error);
  if (fresh == NULL)
    {
      srv_log_error ("SIGHUP: %s; keeping the current certificate", error->message);
      srv_service_manager_ready ("serving (reload failed: the old certificate is kept)");
      return G_SOURCE_CONTINUE;
    }
  if (!srv_tls_context_reload (server->tls, fresh->cert, fresh->key, &error))
    {
      srv_log_error ("SIGHUP: %s; keeping the current certificate", error->message);
      srv_service_manager_ready ("serving (reload failed: the old certificate is kept)");
      return G_SOURCE_CONTINUE;
    }
  g_free (config->cert);
  g_free (config->key);
  config->cert = g_strdup (fresh->cert);
  config->key = g_strdup (fresh->key);
  srv_log_info ("SIGHUP: certificate reloaded from \"%s\"; open connections keep theirs",
                config->cert);
  srv_service_manager_ready ("serving (certificate reloaded)");
  return G_SOURCE_CONTINUE;
}

/* Public API */

SrvServer *
srv_server_new (SrvConfig *config, const char *config_path, GError **error)
{
  g_autoptr (SrvTlsContext) tls = NULL;
  g_autoptr (SrvListener) listener = NULL;
  static const char *const channels[] = { "kc_session", "kc_event", NULL };
  SrvServer *server;

  if (!srv_config_check_serving (config, error))
    return NULL;
  tls = srv_tls_context_new (config->cert, config->key, error);
  if (tls == NULL)
    return NULL;
  listener = srv_listener_new (config->listen, config->port, error);
  if (listener == NULL)
    return NULL;

  server = g_new0 (SrvServer, 1);
  server->ctx.config = config;
  server->config_path = g_strdup (config_path);
  server->tls = g_steal_pointer (&tls);
  server->listener = g_steal_pointer (&listener);
  server->conns
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)srv_conn_unref);
  server->ctx.password = srv_password_new (config);
  server->ctx.db = srv_db_new (config);
  if (config->write_pool_size > 0)
    {
      /* srv_db_new() keeps nothing of the config but what it copies. */
      SrvConfig copy = *config;

      copy.pool_size = config->write_pool_size;
      server->ctx.write_db = srv_db_new (&copy);
      srv_db_share_reconnects (server->ctx.write_db, server->ctx.db);
    }
  server->replica = srv_replica_new (config);
  if (server->replica != NULL)
    {
      server->ctx.report_db = srv_replica_get_db (server->replica);
      server->ctx.report_lag = srv_replica_get_lag (server->replica);
    }
  server->loop = g_main_loop_new (NULL, FALSE);
  server->last_touch_mono = g_get_monotonic_time ();
  server->notify = srv_notify_start (config, channels, notify_cb, notify_connected_cb, server);
  return server;
}

void
srv_server_free (SrvServer *server)
{
  if (server == NULL)
    return;
  srv_notify_stop (server->notify);
  srv_audit_sealer_stop (server->sealer);
  /* Close connections before the pool: completion callbacks still running
   * in srv_db_free() find them dead and drop their replies. */
  g_hash_table_remove_all (server->conns);
  srv_replica_free (server->replica);
  srv_db_free (server->ctx.write_db);
  srv_db_free (server->ctx.db);
  g_hash_table_unref (server->conns);
  srv_listener_free (server->listener);
  if (server->janitor_source)
    g_source_remove (server->janitor_source);
  if (server->sigterm_source)
    g_source_remove (server->sigterm_source);
  if (server->sigint_source)
    g_source_remove (server->sigint_source);
  if (server->sighup_source)
    g_source_remove (server->sighup_source);
  srv_password_free (server->ctx.password);
  srv_tls_context_free (server->tls);
  g_main_loop_unref (server->loop);
  g_free (server->config_path);
  g_free (server);
}

int
srv_server_run (SrvServer *server)
{
  const SrvConfig *config = server->ctx.config;

  srv_listener_start (server->listener, accepted_cb, server);
  server->janitor_source = g_timeout_add_seconds (1, srv_janitor_cb, server);
  server->sealer = srv_audit_sealer_start (server->ctx.db);
  if (server->replica != NULL)
    srv_replica_poll (server->replica);
  server->sigterm_source = g_unix_signal_add (SIGTERM, shutdown_cb, server);
  server->sigint_source = g_unix_signal_add (SIGINT, shutdown_cb, server);
  server->sighup_source = g_unix_signal_add (SIGHUP, reload_cb, server);
  srv_log_info ("kc-server listening on %s port %u (TLS; %u database connections; %u refused "
                "passwords loaded)",
                config->listen, config->port, config->pool_size + config->write_pool_size,
                srv_password_list_size (server->ctx.password));
  {
    g_autofree char *status
        = g_strdup_printf ("serving on %s port %u", config->listen, config->port);
    srv_service_manager_ready (status);
  }
  g_main_loop_run (server->loop);
  srv_log_info ("kc-server stopped");
  return server->exit_status;
}

SrvContext *
srv_server_get_context (SrvServer *server)
{
  return &server->ctx;
}

SrvTlsContext *
srv_server_get_tls (SrvServer *server)
{
  return server->tls;
}
