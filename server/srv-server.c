/*
 * srv-server.c — the daemon around the connections.
 *
 * One thread runs the GMainLoop: accepting, TLS, framing, dispatch and
 * replies for every connection. Handlers run on the database pool's
 * worker threads; a further thread listens for revocations. The janitor
 * runs once a second for timeouts, and once a minute writes which sessions
 * were active (never once per request).
 */
#include "srv-server.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>
#include <gio/gio.h>

#include "srv-audit-seal.h"
#include "srv-conn.h"
#include "srv-db-notify.h"
#include "srv-handlers.h"
#include "srv-log.h"
#include "srv-proxy.h"
#include "srv-replica.h"
#include "srv-service-manager.h"

#define TOUCH_INTERVAL_S 60
#define REPLICA_POLL_INTERVAL_S 5

struct _SrvServer
{
  SrvContext ctx;
  char *config_path;
  SrvTlsContext *tls;
  SrvNotify *notify;
  SrvAuditSealer *sealer;
  SrvReplica *replica; /* (nullable) report_conninfo */
  GMainLoop *loop;

  int listen_fd;
  guint listen_source;
  guint accept_retry_source;
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

static gboolean listen_ready_cb (int fd, GIOCondition condition, gpointer user_data);

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

static int
bind_listen_socket (const char *host, guint port, GError **error)
{
  struct addrinfo hints = { 0 };
  struct addrinfo *res = NULL;
  char port_text[16];
  int fd = -1;
  int rc;
  int saved_errno = 0;

  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  g_snprintf (port_text, sizeof port_text, "%u", port);
  rc = getaddrinfo (host != NULL && *host ? host : NULL, port_text, &hints, &res);
  if (rc != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "could not resolve listen address \"%s\": %s", host, gai_strerror (rc));
      return -1;
    }
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
    {
      int one = 1;
      int zero = 0;

      fd = socket (ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0)
        {
          saved_errno = errno;
          continue;
        }
      setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (ai->ai_family == AF_INET6)
        setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
      if (bind (fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen (fd, 1024) == 0)
        break;
      saved_errno = errno;
      close (fd);
      fd = -1;
    }
  freeaddrinfo (res);
  if (fd < 0)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 "could not listen on %s port %u: %s", host, port, g_strerror (saved_errno));
  return fd;
}

static void
format_peer (const struct sockaddr_storage *addr, char *host, gsize host_len, char *full,
             gsize full_len)
{
  char serv[16] = "";

  if (getnameinfo ((const struct sockaddr *)addr, sizeof *addr, host, host_len, serv, sizeof serv,
                   NI_NUMERICHOST | NI_NUMERICSERV)
      != 0)
    g_strlcpy (host, "unknown", host_len);
  /* An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d. */
  if (g_str_has_prefix (host, "::ffff:") && strchr (host + 7, ':') == NULL)
    memmove (host, host + 7, strlen (host + 7) + 1);
  if (strchr (host, ':') != NULL)
    g_snprintf (full, full_len, "[%s]:%s", host, serv);
  else
    g_snprintf (full, full_len, "%s:%s", host, serv);
}

static gboolean
accept_retry_cb (gpointer user_data)
{
  SrvServer *server = user_data;

  server->accept_retry_source = 0;
  if (!server->shutting_down)
    server->listen_source = g_unix_fd_add (server->listen_fd, G_IO_IN, listen_ready_cb, server);
  return G_SOURCE_REMOVE;
}

static void
pause_accepting (SrvServer *server)
{
  if (server->listen_source != 0)
    {
      g_source_remove (server->listen_source);
      server->listen_source = 0;
    }
  if (server->accept_retry_source == 0)
    server->accept_retry_source = g_timeout_add (1000, accept_retry_cb, server);
}

static void
drop_dead_connections (SrvServer *server)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, server->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (srv_conn_is_dead (value))
      {
        srv_attachment_connection_closed (&server->ctx, srv_conn_get_id (value));
        g_hash_table_iter_remove (&iter);
      }
}

/* Writes last_seen_at for the sessions used since the last time, in one
 * statement, so the database learns of activity at most once a minute. */
static void
touch_done_cb (gpointer data)
{
  g_free (data);
}

static void
touch_work_cb (SrvDbConn *db, gpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *params[] = { data };
  g_autoptr (SrvRows) rows = srv_db_exec (db, SRV_Q_SESSION_TOUCH, params, &error);

  if (rows == NULL)
    srv_log_warning ("could not record session activity: %s", error->message);
}

static char *
collect_session_ids (SrvServer *server, gboolean touched_only)
{
  GHashTableIter iter;
  gpointer value;
  GString *array = g_string_new ("{");
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 *ids = g_new0 (gint64, g_hash_table_size (server->conns) + 1);
  guint n = 0;

  g_hash_table_iter_init (&iter, server->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 id = srv_conn_get_session_id (value);
      gboolean touched = srv_conn_take_touched (value);

      if (id == 0 || (touched_only && !touched))
        continue;
      if (g_hash_table_contains (seen, &id))
        continue;
      ids[n] = id;
      g_hash_table_add (seen, &ids[n]);
      g_string_append_printf (array, "%s%" G_GINT64_FORMAT, n > 0 ? "," : "", id);
      n++;
    }
  g_free (ids);
  g_string_append_c (array, '}');
  if (n == 0)
    {
      g_string_free (array, TRUE);
      return NULL;
    }
  return g_string_free (array, FALSE);
}

static void
flush_session_activity (SrvServer *server)
{
  char *ids = collect_session_ids (server, TRUE);

  if (ids != NULL)
    srv_db_submit (server->ctx.db, touch_work_cb, touch_done_cb, ids);
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
  char *ids = collect_session_ids (server, FALSE);
  Recheck *r;

  if (ids == NULL)
    return;
  r = g_new0 (Recheck, 1);
  r->server = server;
  r->ids = ids;
  r->dead = g_array_new (FALSE, FALSE, sizeof (gint64));
  srv_db_submit (server->ctx.db, recheck_work_cb, recheck_done_cb, r);
}

static gboolean
listen_ready_cb (int fd, GIOCondition condition, gpointer user_data)
{
  SrvServer *server = user_data;

  /* Accept until EAGAIN: one wake-up may stand for many clients. */
  for (;;)
    {
      struct sockaddr_storage addr;
      socklen_t addr_len = sizeof addr;
      char host[INET6_ADDRSTRLEN + 8];
      char full[INET6_ADDRSTRLEN + 24];
      int one = 1;
      int client = accept4 (fd, (struct sockaddr *)&addr, &addr_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      SrvConn *conn;

      if (client < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
            {
              srv_log_warning ("could not accept a connection: %s; pausing for a second",
                               g_strerror (errno));
              pause_accepting (server);
              return G_SOURCE_REMOVE;
            }
          return G_SOURCE_CONTINUE;
        }
      format_peer (&addr, host, sizeof host, full, sizeof full);
      if (g_hash_table_size (server->conns) >= server->ctx.config->max_connections)
        {
          if (!server->warned_full)
            srv_log_warning ("connection limit of %u reached; refusing %s",
                             server->ctx.config->max_connections, full);
          server->warned_full = TRUE;
          close (client);
          continue;
        }
      server->warned_full = FALSE;
      /* One address may not take the whole server (a trusted balancer
       * speaks for many clients: its own are counted after its header). */
      if (!srv_proxy_trusted (server->ctx.config->proxy_trusted, host)
          && srv_server_count_connections (server, host, 0, NULL)
                 >= server->ctx.config->max_connections_per_address)
        {
          srv_log_info ("%s has %u connections already (max_connections_per_address); refused",
                        host, server->ctx.config->max_connections_per_address);
          close (client);
          continue;
        }
      /* Replies are small and answer a waiting client: send them now. */
      setsockopt (client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      conn = srv_conn_new (server, client, ++server->next_conn_id, host, full);
      g_hash_table_insert (server->conns, g_memdup2 (&server->next_conn_id, sizeof (guint64)),
                           conn);
    }
}

static gboolean
janitor_cb (gpointer user_data)
{
  SrvServer *server = user_data;
  gint64 now_mono = g_get_monotonic_time ();
  gint64 now_real = g_get_real_time ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, server->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    srv_conn_check_timeouts (value, now_mono, now_real);
  drop_dead_connections (server);
  if (!server->shutting_down)
    srv_attachment_janitor (&server->ctx);

  /* Often enough that another server never sees an active session as idle:
   * a quarter of the idle timeout, at most once a minute. */
  if (now_mono - server->last_touch_mono
      >= MAX (1, MIN (TOUCH_INTERVAL_S, server->ctx.config->session_idle_timeout / 4))
             * G_USEC_PER_SEC)
    {
      server->last_touch_mono = now_mono;
      flush_session_activity (server);
    }
  if (server->replica != NULL && !server->shutting_down
      && now_mono - server->last_replica_poll_mono >= REPLICA_POLL_INTERVAL_S * G_USEC_PER_SEC)
    {
      server->last_replica_poll_mono = now_mono;
      srv_replica_poll (server->replica);
    }

  if (server->shutting_down)
    {
      if (g_hash_table_size (server->conns) == 0 && srv_db_pending (server->ctx.db) == 0)
        g_main_loop_quit (server->loop);
      else if (now_mono >= server->shutdown_deadline)
        {
          srv_log_warning ("shutdown: %u connections still busy after %u s; closing them",
                           g_hash_table_size (server->conns), server->ctx.config->shutdown_timeout);
          g_main_loop_quit (server->loop);
        }
    }
  return G_SOURCE_CONTINUE;
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
  if (server->listen_source != 0)
    g_source_remove (server->listen_source);
  server->listen_source = 0;
  close (server->listen_fd);
  server->listen_fd = -1;

  g_hash_table_iter_init (&iter, server->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    srv_conn_begin_shutdown (value);
  flush_session_activity (server);
  janitor_cb (server);
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
  static const char *const channels[] = { "kc_session", "kc_event", NULL };
  SrvServer *server;
  int fd;

  if (!srv_config_check_serving (config, error))
    return NULL;
  tls = srv_tls_context_new (config->cert, config->key, error);
  if (tls == NULL)
    return NULL;
  fd = bind_listen_socket (config->listen, config->port, error);
  if (fd < 0)
    return NULL;

  server = g_new0 (SrvServer, 1);
  server->ctx.config = config;
  server->config_path = g_strdup (config_path);
  server->tls = g_steal_pointer (&tls);
  server->listen_fd = fd;
  server->conns
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)srv_conn_unref);
  server->ctx.password = srv_password_new (config);
  server->ctx.db = srv_db_new (config);
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
  srv_db_free (server->ctx.db);
  g_hash_table_unref (server->conns);
  if (server->listen_fd >= 0)
    close (server->listen_fd);
  if (server->listen_source)
    g_source_remove (server->listen_source);
  if (server->accept_retry_source)
    g_source_remove (server->accept_retry_source);
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

  server->listen_source = g_unix_fd_add (server->listen_fd, G_IO_IN, listen_ready_cb, server);
  server->janitor_source = g_timeout_add_seconds (1, janitor_cb, server);
  server->sealer = srv_audit_sealer_start (server->ctx.db);
  if (server->replica != NULL)
    srv_replica_poll (server->replica);
  server->sigterm_source = g_unix_signal_add (SIGTERM, shutdown_cb, server);
  server->sigint_source = g_unix_signal_add (SIGINT, shutdown_cb, server);
  server->sighup_source = g_unix_signal_add (SIGHUP, reload_cb, server);
  srv_log_info ("kc-server listening on %s port %u (TLS; %u database connections; %u refused "
                "passwords loaded)",
                config->listen, config->port, config->pool_size,
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
