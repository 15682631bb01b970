/*
 * srv-proxy.c — PROXY protocol v2 header parsing (see srv-proxy.h).
 * Specification: haproxy.org/download/2.9/doc/proxy-protocol.txt §2.2.
 */
#include "srv-proxy.h"

#include <arpa/inet.h>
#include <string.h>

static const guint8 signature[12]
    = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

SrvProxyStatus
srv_proxy_parse (const guint8 *data, gsize len, gsize *needed, char **addr, guint16 *port)
{
  gsize total;
  guint8 command;
  guint8 family;
  char text[INET6_ADDRSTRLEN];

  *addr = NULL;
  *port = 0;
  if (memcmp (data, signature, MIN (len, sizeof signature)) != 0)
    return SRV_PROXY_INVALID;
  if (len < SRV_PROXY_HEADER_MIN)
    {
      *needed = SRV_PROXY_HEADER_MIN;
      return SRV_PROXY_NEED_MORE;
    }
  if ((data[12] & 0xF0) != 0x20)
    return SRV_PROXY_INVALID;
  command = data[12] & 0x0F;
  family = data[13];
  total = SRV_PROXY_HEADER_MIN + ((gsize)data[14] << 8 | data[15]);
  *needed = total;
  if (command > 1)
    return SRV_PROXY_INVALID;
  if (len < total)
    return SRV_PROXY_NEED_MORE;
  if (command == 0) /* LOCAL: the balancer speaking for itself */
    return SRV_PROXY_DONE;
  if (family == 0x11 && total >= SRV_PROXY_HEADER_MIN + 12)
    {
      if (inet_ntop (AF_INET, data + 16, text, sizeof text) == NULL)
        return SRV_PROXY_INVALID;
      *port = (guint16)(data[24] << 8 | data[25]);
    }
  else if (family == 0x21 && total >= SRV_PROXY_HEADER_MIN + 36)
    {
      if (inet_ntop (AF_INET6, data + 16, text, sizeof text) == NULL)
        return SRV_PROXY_INVALID;
      *port = (guint16)(data[48] << 8 | data[49]);
    }
  else if (family == 0x00 || family == 0x31 || family == 0x32 || family == 0x12 || family == 0x22)
    return SRV_PROXY_DONE; /* UNSPEC, unix or UDP: no TCP address to take */
  else
    return SRV_PROXY_INVALID;
  *addr = g_strdup (text);
  return SRV_PROXY_DONE;
}

gboolean
srv_proxy_trusted (const char *list, const char *peer)
{
  g_auto (GStrv) parts = NULL;

  if (list == NULL || peer == NULL)
    return FALSE;
  parts = g_strsplit_set (list, ";, ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0' && g_str_equal (parts[i], peer))
      return TRUE;
  return FALSE;
}
