/*
 * srv-janitor.c — the server's once-a-second housekeeping (see
 * srv-server-private.h). Session activity goes to the database at most
 * once a minute, never once per request.
 */
#include "srv-server-private.h"

#include "srv-conn.h"
#include "srv-handlers.h"
#include "srv-log.h"

#define TOUCH_INTERVAL_S 60
#define REPLICA_POLL_INTERVAL_S 5

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

char *
srv_janitor_session_ids (SrvServer *server, gboolean touched_only)
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

void
srv_janitor_flush_activity (SrvServer *server)
{
  char *ids = srv_janitor_session_ids (server, TRUE);

  if (ids != NULL)
    srv_db_submit (server->ctx.db, touch_work_cb, touch_done_cb, ids);
}

gboolean
srv_janitor_cb (gpointer user_data)
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
      srv_janitor_flush_activity (server);
    }
  if (server->replica != NULL && !server->shutting_down
      && now_mono - server->last_replica_poll_mono >= REPLICA_POLL_INTERVAL_S * G_USEC_PER_SEC)
    {
      server->last_replica_poll_mono = now_mono;
      srv_replica_poll (server->replica);
    }

  if (server->shutting_down)
    {
      if (g_hash_table_size (server->conns) == 0 && srv_db_pending (server->ctx.db) == 0
          && (server->ctx.write_db == NULL || srv_db_pending (server->ctx.write_db) == 0))
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
