/*
 * srv-db-notify.h — a thread holding one extra PostgreSQL connection that
 * LISTENs for session revocations, so they reach every server process at
 * once. It reconnects by itself; after each (re)connect it reports that
 * notifications may have been missed, so the server can re-check.
 */
#pragma once

#include <glib.h>

#include "srv-config.h"

G_BEGIN_DECLS

typedef struct _SrvNotify SrvNotify;

/* Both run on the main context of the thread that started the listener. */
typedef void (*SrvNotifyFunc) (const char *channel, const char *payload, gpointer user_data);
typedef void (*SrvNotifyConnectedFunc) (gpointer user_data);

SrvNotify *srv_notify_start (const SrvConfig *config, const char *const *channels,
                             SrvNotifyFunc on_notify, SrvNotifyConnectedFunc on_connected,
                             gpointer user_data);
/* Stops the thread and waits for it (at most about half a second). */
void srv_notify_stop (SrvNotify *notify);

G_END_DECLS
