/*
 * srv-listener.c — accept(2) on the main loop; see srv-listener.h.
 */
#include "srv-listener.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib-unix.h>

#include "srv-log.h"

struct _SrvListener
{
  int fd;
  guint source;
  guint retry_source;
  SrvAcceptFunc func;
  gpointer user_data;
};

static gboolean ready_cb (int fd, GIOCondition condition, gpointer user_data);

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
retry_cb (gpointer user_data)
{
  SrvListener *listener = user_data;

  listener->retry_source = 0;
  if (listener->fd >= 0)
    listener->source = g_unix_fd_add (listener->fd, G_IO_IN, ready_cb, listener);
  return G_SOURCE_REMOVE;
}

static void
pause_accepting (SrvListener *listener)
{
  if (listener->source != 0)
    {
      g_source_remove (listener->source);
      listener->source = 0;
    }
  if (listener->retry_source == 0)
    listener->retry_source = g_timeout_add (1000, retry_cb, listener);
}

static gboolean
ready_cb (int fd, GIOCondition condition, gpointer user_data)
{
  SrvListener *listener = user_data;

  /* Accept until EAGAIN: one wake-up may stand for many clients. */
  for (;;)
    {
      struct sockaddr_storage addr;
      socklen_t addr_len = sizeof addr;
      char host[INET6_ADDRSTRLEN + 8];
      char full[INET6_ADDRSTRLEN + 24];
      int one = 1;
      int client = accept4 (fd, (struct sockaddr *)&addr, &addr_len, SOCK_NONBLOCK | SOCK_CLOEXEC);

      if (client < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
            {
              srv_log_warning ("could not accept a connection: %s; pausing for a second",
                               g_strerror (errno));
              /* pause_accepting removes this source: say so to GLib. */
              listener->source = 0;
              pause_accepting (listener);
              return G_SOURCE_REMOVE;
            }
          return G_SOURCE_CONTINUE;
        }
      format_peer (&addr, host, sizeof host, full, sizeof full);
      /* Replies are small and answer a waiting client: send them now. */
      setsockopt (client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      listener->func (client, host, full, listener->user_data);
      if (listener->fd < 0)
        return G_SOURCE_REMOVE;
    }
}

SrvListener *
srv_listener_new (const char *host, guint port, GError **error)
{
  int fd = bind_listen_socket (host, port, error);
  SrvListener *listener;

  if (fd < 0)
    return NULL;
  listener = g_new0 (SrvListener, 1);
  listener->fd = fd;
  return listener;
}

void
srv_listener_start (SrvListener *listener, SrvAcceptFunc func, gpointer user_data)
{
  listener->func = func;
  listener->user_data = user_data;
  if (listener->fd >= 0 && listener->source == 0)
    listener->source = g_unix_fd_add (listener->fd, G_IO_IN, ready_cb, listener);
}

void
srv_listener_close (SrvListener *listener)
{
  g_clear_handle_id (&listener->source, g_source_remove);
  g_clear_handle_id (&listener->retry_source, g_source_remove);
  if (listener->fd >= 0)
    close (listener->fd);
  listener->fd = -1;
}

void
srv_listener_free (SrvListener *listener)
{
  if (listener == NULL)
    return;
  srv_listener_close (listener);
  g_free (listener);
}
