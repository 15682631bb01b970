/*
 * srv-service-manager.h — telling the service manager (systemd, or anything
 * speaking its notification protocol) what state the server is in, so that
 * a Type=notify unit is "active" only once kc-server accepts connections.
 *
 * Written against the documented NOTIFY_SOCKET protocol (sd_notify(3): one
 * datagram of newline-separated VAR=value lines to the AF_UNIX socket named
 * in $NOTIFY_SOCKET, "@" meaning the abstract namespace) rather than linking
 * libsystemd for four messages. Without $NOTIFY_SOCKET every call does
 * nothing, so the server runs the same from a shell or a test.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sends @state (e.g. "READY=1\nSTATUS=serving"). Returns FALSE when there is
 * no service manager to tell or the datagram could not be sent; callers
 * carry on either way (a lost notification is the manager's timeout). */
gboolean srv_service_manager_notify (const char *state);

/* The three transitions the unit relies on. */
void srv_service_manager_ready (const char *status);
void srv_service_manager_reloading (void);
void srv_service_manager_stopping (void);

G_END_DECLS
