/*
 * srv-listener.h — the listening socket: bound once at start, accepting
 * on the main loop until closed, handing each accepted socket (with its
 * peer address) to the server, which decides whether to keep it.
 *
 * Running out of descriptors pauses accepting for a second instead of
 * spinning on a socket that stays readable.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SrvListener SrvListener;

/* Called on the main loop for each accepted socket (non-blocking,
 * close-on-exec, TCP_NODELAY); it now owns @fd. @host is the numeric
 * address without port (IPv4-mapped IPv6 shown as IPv4), @full the same
 * with its port, for logs. */
typedef void (*SrvAcceptFunc) (int fd, const char *host, const char *full, gpointer user_data);

/* Binds and listens on @host (NULL or "" for every address, dual-stack)
 * and @port; nothing is accepted before srv_listener_start(). */
SrvListener *srv_listener_new (const char *host, guint port, GError **error);
void srv_listener_start (SrvListener *listener, SrvAcceptFunc func, gpointer user_data);
/* Stops accepting and closes the socket (shutdown); idempotent. */
void srv_listener_close (SrvListener *listener);
void srv_listener_free (SrvListener *listener);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrvListener, srv_listener_free)

G_END_DECLS
