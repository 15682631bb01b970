/*
 * srv-proxy.h — the PROXY protocol v2 header a layer-4 load balancer
 * (HAProxy `send-proxy-v2`) puts before the TLS bytes, so that throttling
 * and the audit log see the client's address, not the balancer's.
 *
 * Honoured only on connections from an address in [server] proxy_trusted
 * (srv-conn.c); from anyone else the same bytes are a failed TLS handshake.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The fixed part: 12-byte signature, version/command, family, length. */
#define SRV_PROXY_HEADER_MIN 16

typedef enum
{
  SRV_PROXY_NEED_MORE, /* *needed: the total header length known so far */
  SRV_PROXY_DONE,      /* *needed: the header's length; *addr set or NULL (LOCAL, UNSPEC) */
  SRV_PROXY_INVALID,
} SrvProxyStatus;

/* Parses the header at the start of @data. On DONE, @addr (caller frees)
 * is the source address as text and @port its port, or @addr is NULL when
 * the header carries no address to use (the balancer's own health check,
 * or a family other than TCP over IPv4/IPv6). */
SrvProxyStatus srv_proxy_parse (const guint8 *data, gsize len, gsize *needed, char **addr,
                                guint16 *port);

/* TRUE if @peer is one of the addresses of @list ("a;b" or "a, b"). */
gboolean srv_proxy_trusted (const char *list, const char *peer);

G_END_DECLS
