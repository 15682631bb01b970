/*
 * srv-service-manager.c — sd_notify's datagram protocol, without libsystemd.
 */
#include "srv-service-manager.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

gboolean
srv_service_manager_notify (const char *state)
{
  const char *path = g_getenv ("NOTIFY_SOCKET");
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  socklen_t addr_len;
  gsize path_len;
  ssize_t sent;
  int fd;

  if (path == NULL || (path[0] != '/' && path[0] != '@'))
    return FALSE;
  path_len = strlen (path);
  if (path_len >= sizeof addr.sun_path)
    return FALSE;
  memcpy (addr.sun_path, path, path_len);
  /* "@name" is the abstract socket "\0name", whose length counts exactly. */
  if (path[0] == '@')
    addr.sun_path[0] = '\0';
  addr_len
      = (socklen_t)(offsetof (struct sockaddr_un, sun_path) + path_len + (path[0] == '@' ? 0 : 1));

  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  do
    sent = sendto (fd, state, strlen (state), MSG_NOSIGNAL, (struct sockaddr *)&addr, addr_len);
  while (sent < 0 && errno == EINTR);
  close (fd);
  return sent == (ssize_t)strlen (state);
}

void
srv_service_manager_ready (const char *status)
{
  g_autofree char *state = g_strdup_printf ("READY=1\nSTATUS=%s", status);

  srv_service_manager_notify (state);
}

void
srv_service_manager_reloading (void)
{
  struct timespec now;
  g_autofree char *state = NULL;

  /* MONOTONIC_USEC lets a manager that supports Type=notify-reload tell
   * this reload from an earlier one; older ones ignore it. */
  clock_gettime (CLOCK_MONOTONIC, &now);
  state = g_strdup_printf ("RELOADING=1\nMONOTONIC_USEC=%" G_GUINT64_FORMAT
                           "\nSTATUS=reloading the certificate",
                           (guint64)now.tv_sec * G_USEC_PER_SEC + (guint64)now.tv_nsec / 1000);
  srv_service_manager_notify (state);
}

void
srv_service_manager_stopping (void)
{
  srv_service_manager_notify ("STOPPING=1\nSTATUS=finishing open requests");
}
