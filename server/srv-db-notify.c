/*
 * srv-db-notify.c — see srv-db-notify.h. A thread rather than a watch on
 * the main loop because connecting to PostgreSQL blocks (connect_timeout
 * when its host is gone), and the loop must never wait on the database.
 */
#include "srv-db-notify.h"

#include <poll.h>
#include <libpq-fe.h>

#include "srv-log.h"

struct _SrvNotify
{
  GThread *thread;
  GMainContext *context;
  char *conninfo;
  guint connect_timeout;
  GStrv channels;
  SrvNotifyFunc on_notify;
  SrvNotifyConnectedFunc on_connected;
  gpointer user_data;
  gint stop; /* atomic */
};

typedef struct
{
  SrvNotify *notify;
  char *channel; /* NULL: "connected" */
  char *payload;
} Delivery;

static gboolean
deliver_cb (gpointer data)
{
  Delivery *d = data;

  if (!g_atomic_int_get (&d->notify->stop))
    {
      if (d->channel != NULL)
        d->notify->on_notify (d->channel, d->payload, d->notify->user_data);
      else
        d->notify->on_connected (d->notify->user_data);
    }
  g_free (d->channel);
  g_free (d->payload);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
deliver (SrvNotify *notify, const char *channel, const char *payload)
{
  Delivery *d = g_new0 (Delivery, 1);

  d->notify = notify;
  d->channel = g_strdup (channel);
  d->payload = g_strdup (payload);
  g_main_context_invoke (notify->context, deliver_cb, d);
}

static PGconn *
connect_and_listen (SrvNotify *notify)
{
  g_autofree char *timeout = g_strdup_printf ("%u", notify->connect_timeout);
  const char *keys[] = { "dbname", "connect_timeout", "application_name", NULL };
  const char *values[] = { notify->conninfo, timeout, "kc-server-listen", NULL };
  PGconn *pg = PQconnectdbParams (keys, values, 1);

  if (PQstatus (pg) != CONNECTION_OK)
    {
      PQfinish (pg);
      return NULL;
    }
  for (gsize i = 0; notify->channels[i] != NULL; i++)
    {
      char *ident = PQescapeIdentifier (pg, notify->channels[i], strlen (notify->channels[i]));
      g_autofree char *sql = g_strdup_printf ("LISTEN %s", ident);
      PGresult *res = PQexec (pg, sql);
      gboolean ok = PQresultStatus (res) == PGRES_COMMAND_OK;

      PQfreemem (ident);
      PQclear (res);
      if (!ok)
        {
          PQfinish (pg);
          return NULL;
        }
    }
  return pg;
}

static gpointer
listen_thread (gpointer data)
{
  SrvNotify *notify = data;
  PGconn *pg = NULL;
  gboolean warned = FALSE;

  while (!g_atomic_int_get (&notify->stop))
    {
      struct pollfd pfd;
      PGnotify *n;

      if (pg == NULL)
        {
          pg = connect_and_listen (notify);
          if (pg == NULL)
            {
              if (!warned)
                srv_log_warning ("could not listen for session revocations; retrying");
              warned = TRUE;
              g_usleep (G_USEC_PER_SEC / 2);
              continue;
            }
          if (warned)
            srv_log_info ("listening for session revocations again");
          warned = FALSE;
          deliver (notify, NULL, NULL);
        }

      pfd.fd = PQsocket (pg);
      pfd.events = POLLIN;
      pfd.revents = 0;
      if (poll (&pfd, 1, 500) < 0)
        continue;
      if (!PQconsumeInput (pg) || PQstatus (pg) != CONNECTION_OK)
        {
          srv_log_warning ("lost the database connection that listens for session revocations");
          warned = TRUE;
          PQfinish (pg);
          pg = NULL;
          continue;
        }
      while ((n = PQnotifies (pg)) != NULL)
        {
          deliver (notify, n->relname, n->extra);
          PQfreemem (n);
        }
    }
  if (pg != NULL)
    PQfinish (pg);
  return NULL;
}

SrvNotify *
srv_notify_start (const SrvConfig *config, const char *const *channels, SrvNotifyFunc on_notify,
                  SrvNotifyConnectedFunc on_connected, gpointer user_data)
{
  SrvNotify *notify = g_new0 (SrvNotify, 1);

  notify->context = g_main_context_ref_thread_default ();
  notify->conninfo = g_strdup (config->conninfo);
  notify->connect_timeout = config->connect_timeout;
  notify->channels = g_strdupv ((char **)channels);
  notify->on_notify = on_notify;
  notify->on_connected = on_connected;
  notify->user_data = user_data;
  notify->thread = g_thread_new ("kc-listen", listen_thread, notify);
  return notify;
}

void
srv_notify_stop (SrvNotify *notify)
{
  if (notify == NULL)
    return;
  g_atomic_int_set (&notify->stop, 1);
  g_thread_join (notify->thread);
  /* Deliveries already queued check the stop flag; drain them now while
   * @notify is still alive. */
  while (g_main_context_iteration (notify->context, FALSE))
    ;
  g_main_context_unref (notify->context);
  g_free (notify->conninfo);
  g_strfreev (notify->channels);
  g_free (notify);
}
