/*
 * srv-log.h — one line per event on stderr:
 *   2026-11-27T09:38:26.123Z LOG  conn=12 peer=127.0.0.1:50312 req=7: message
 * Never log message bodies, tokens or passwords.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SRV_LOG_DEBUG,
  SRV_LOG_INFO,
  SRV_LOG_WARNING,
  SRV_LOG_ERROR,
} SrvLogLevel;

void srv_log_set_level (SrvLogLevel min_level);

/* @conn_id 0 and @peer NULL when not about a connection; @request_id NULL
 * when not about a request (it is the JSON id as compact text). */
void srv_log (SrvLogLevel level, guint64 conn_id, const char *peer, const char *request_id,
              const char *format, ...) G_GNUC_PRINTF (5, 6);

#define srv_log_info(...) srv_log (SRV_LOG_INFO, 0, NULL, NULL, __VA_ARGS__)
#define srv_log_warning(...) srv_log (SRV_LOG_WARNING, 0, NULL, NULL, __VA_ARGS__)
#define srv_log_error(...) srv_log (SRV_LOG_ERROR, 0, NULL, NULL, __VA_ARGS__)

G_END_DECLS
