/*
 * cli-conn.h — kc-cli's blocking JSON-RPC connection to kc-server over TLS
 * (OpenSSL), one request at a time.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "kc-rpc.h"

G_BEGIN_DECLS

#define CLI_DEFAULT_PORT "8474"

/* The longest response line accepted. The server's default limit is 16 MiB;
 * leave room for a server configured with a larger one. */
#define CLI_MAX_LINE (64 * 1024 * 1024)

#define CLI_CONN_ERROR (cli_conn_error_quark ())
GQuark cli_conn_error_quark (void);

typedef enum
{
  CLI_CONN_ERROR_ADDRESS,  /* HOST:PORT is malformed */
  CLI_CONN_ERROR_RESOLVE,  /* the host name did not resolve */
  CLI_CONN_ERROR_CONNECT,  /* TCP connection failed */
  CLI_CONN_ERROR_CA,       /* the CA file could not be loaded */
  CLI_CONN_ERROR_TLS,      /* TLS handshake or record layer failure */
  CLI_CONN_ERROR_VERIFY,   /* the server's certificate was not trusted */
  CLI_CONN_ERROR_TIMEOUT,  /* the server did not answer in time */
  CLI_CONN_ERROR_CLOSED,   /* the server closed the connection */
  CLI_CONN_ERROR_PROTOCOL, /* the server sent something that is not JSON-RPC */
} CliConnError;

/*
 * Splits "HOST", "HOST:PORT", "[V6]", "[V6]:PORT" or a bare IPv6 literal
 * into a host (without brackets) and a port (default 8474). Either out
 * argument may be NULL.
 */
gboolean cli_address_parse (const char *address, char **host, char **port, GError **error);

/* TRUE when both addresses parse and name the same host and port. */
gboolean cli_address_equal (const char *a, const char *b);

typedef struct _CliConn CliConn;

/*
 * Connects to @address and completes the TLS handshake, verifying the
 * server's certificate chain against @ca_file (NULL: the system's default
 * store) and its host name or IP address. @timeout_s bounds each wait for
 * the network (0: wait forever). With @verbose, notifications and progress
 * go to stderr.
 */
CliConn *cli_conn_open (const char *address, const char *ca_file, guint timeout_s, gboolean verbose,
                        GError **error);

/*
 * Sends one request and reads lines until the response with its id comes
 * back; notifications received meanwhile are shown on stderr with
 * --verbose, otherwise dropped. Returns the response (transfer full), which
 * may carry a JSON-RPC error, or NULL with @error in CLI_CONN_ERROR.
 * @params may be NULL for {}.
 */
KcResponse *cli_conn_call (CliConn *conn, const char *method, JsonNode *params, GError **error);

/* Sends a TLS close_notify (best effort) and frees everything. */
void cli_conn_free (CliConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliConn, cli_conn_free)

G_END_DECLS
