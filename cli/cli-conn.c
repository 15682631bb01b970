/*
 * cli-conn.c — kc-cli's blocking TLS connection.
 *
 * The socket is non-blocking underneath and every wait goes through poll ()
 * so that one timeout covers connect, handshake, writes and reads alike;
 * with a blocking socket SSL_read () could sit forever in the middle of a
 * record, out of reach of the timeout.
 */
#include "cli-conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "kc-frame.h"
#include "kc-rpc.h"

/* TLS 1.2 suites of Mozilla's "intermediate" profile (TLS 1.3 suites are
 * all acceptable and OpenSSL's defaults). */
#define CLI_TLS12_CIPHERS                                                                          \
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"                                     \
  "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"                                     \
  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"                                     \
  "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305"

/* Bytes gathered from TLS records before handing them to the frame reader:
 * one SSL_read () returns at most a 16 KiB record, and feeding a 16 MiB
 * line record by record would make the reader rescan its buffer a thousand
 * times. */
#define CLI_READ_CHUNK (256 * 1024)

struct _CliConn
{
  int fd;
  SSL_CTX *ctx;
  SSL *ssl;
  char *display;  /* "host:port" / "[v6]:port" for messages */
  int timeout_ms; /* for poll (): -1 waits forever */
  guint timeout_s;
  gboolean verbose;
  gint64 next_id;
  KcFrameReader *reader;
  X509 *peer_leaf; /* the server's certificate, kept for the fingerprint */
  char *chunk;     /* CLI_READ_CHUNK bytes */
};

G_DEFINE_QUARK (cli - conn - error - quark, cli_conn_error)

/* strerror () and OpenSSL say "Connection refused"; our messages are
 * lower-case. Words in capitals ("SSL") are left alone. */
static char *
lower_first (const char *text)
{
  char *copy = g_strdup (text != NULL ? text : "unknown error");

  if (g_ascii_isupper (copy[0]) && !g_ascii_isupper (copy[1]))
    copy[0] = g_ascii_tolower (copy[0]);
  return copy;
}

static gboolean
is_port (const char *text)
{
  guint64 value = 0;

  return g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL);
}

static gboolean
is_ip_literal (const char *host)
{
  struct in6_addr buf;

  return inet_pton (AF_INET, host, &buf) == 1 || inet_pton (AF_INET6, host, &buf) == 1;
}

gboolean
cli_address_parse (const char *address, char **host, char **port, GError **error)
{
  g_autofree char *h = NULL;
  g_autofree char *p = NULL;

  if (address == NULL || *address == '\0')
    {
      g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_ADDRESS, "empty server address");
      return FALSE;
    }

  if (address[0] == '[')
    {
      const char *close = strchr (address, ']');

      if (close == NULL || (close[1] != '\0' && close[1] != ':'))
        goto invalid;
      h = g_strndup (address + 1, close - address - 1);
      p = g_strdup (close[1] == ':' ? close + 2 : CLI_DEFAULT_PORT);
    }
  else
    {
      const char *colon = strchr (address, ':');

      if (colon == NULL)
        {
          h = g_strdup (address);
          p = g_strdup (CLI_DEFAULT_PORT);
        }
      else if (strchr (colon + 1, ':') != NULL)
        {
          /* More than one colon: a bare IPv6 literal, which cannot carry a
           * port without brackets. */
          struct in6_addr buf;

          if (inet_pton (AF_INET6, address, &buf) != 1)
            goto invalid;
          h = g_strdup (address);
          p = g_strdup (CLI_DEFAULT_PORT);
        }
      else
        {
          h = g_strndup (address, colon - address);
          p = g_strdup (colon + 1);
        }
    }

  if (*h == '\0' || !is_port (p))
    goto invalid;

  if (host != NULL)
    *host = g_steal_pointer (&h);
  if (port != NULL)
    *port = g_steal_pointer (&p);
  return TRUE;

invalid:
  g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_ADDRESS,
               "invalid server address \"%s\": expected HOST, HOST:PORT or [IPV6]:PORT", address);
  return FALSE;
}

gboolean
cli_address_equal (const char *a, const char *b)
{
  g_autofree char *host_a = NULL, *port_a = NULL;
  g_autofree char *host_b = NULL, *port_b = NULL;

  if (!cli_address_parse (a, &host_a, &port_a, NULL)
      || !cli_address_parse (b, &host_b, &port_b, NULL))
    return FALSE;

  /* Ports compare as numbers ("08474" is 8474); host names are
   * case-insensitive. */
  return g_ascii_strcasecmp (host_a, host_b) == 0
         && g_ascii_strtoull (port_a, NULL, 10) == g_ascii_strtoull (port_b, NULL, 10);
}

static char *
display_address (const char *host, const char *port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%s", host, port);
  return g_strdup_printf ("%s:%s", host, port);
}

/* Waits until the socket is ready for @events. POLLERR/POLLHUP count as
 * ready: the next read or write reports what went wrong. */
static gboolean
conn_wait (CliConn *conn, short events, GError **error)
{
  struct pollfd pfd = { .fd = conn->fd, .events = events };

  for (;;)
    {
      int n = poll (&pfd, 1, conn->timeout_ms);

      if (n > 0)
        return TRUE;
      if (n == 0)
        {
          g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_TIMEOUT,
                       "timed out after %u s waiting for %s", conn->timeout_s, conn->display);
          return FALSE;
        }
      if (errno != EINTR)
        {
          int saved_errno = errno;
          g_autofree char *reason = lower_first (g_strerror (saved_errno));
          g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_CONNECT, "could not wait for %s: %s",
                       conn->display, reason);
          return FALSE;
        }
    }
}

/* One non-blocking connect () bounded by the timeout. Returns the socket or
 * -1 with errno set. */
static int
connect_one (CliConn *conn, const struct addrinfo *ai)
{
  int fd = socket (ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);

  if (fd < 0)
    return -1;

  if (connect (fd, ai->ai_addr, ai->ai_addrlen) != 0)
    {
      if (errno != EINPROGRESS)
        goto fail;

      struct pollfd pfd = { .fd = fd, .events = POLLOUT };
      int n;
      do
        n = poll (&pfd, 1, conn->timeout_ms);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        goto fail;
      if (n == 0)
        {
          errno = ETIMEDOUT;
          goto fail;
        }

      int so_error = 0;
      socklen_t so_len = sizeof so_error;
      if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len) != 0)
        goto fail;
      if (so_error != 0)
        {
          errno = so_error;
          goto fail;
        }
    }

  /* Requests and responses are single small writes answered one at a time:
   * Nagle would only add latency. */
  int one = 1;
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;

fail:;
  int saved_errno = errno;
  close (fd);
  errno = saved_errno;
  return -1;
}

static gboolean
tcp_connect (CliConn *conn, const char *host, const char *port, GError **error)
{
  struct addrinfo hints = {
    .ai_family = AF_UNSPEC,
    .ai_socktype = SOCK_STREAM,
    .ai_flags = AI_NUMERICSERV,
  };
  struct addrinfo *list = NULL;
  int rc = getaddrinfo (host, port, &hints, &list);

  if (rc != 0)
    {
      g_autofree char *reason
          = lower_first (rc == EAI_SYSTEM ? g_strerror (errno) : gai_strerror (rc));
      g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_RESOLVE,
                   "could not resolve host name \"%s\": %s", host, reason);
      return FALSE;
    }

  /* Try every address (e.g. ::1, then 127.0.0.1 for "localhost") and
   * report the last failure. */
  int last_errno = ECONNREFUSED;
  for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next)
    {
      conn->fd = connect_one (conn, ai);
      if (conn->fd >= 0)
        break;
      last_errno = errno;
    }
  freeaddrinfo (list);

  if (conn->fd < 0)
    {
      if (last_errno == ETIMEDOUT && conn->timeout_ms >= 0)
        g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_TIMEOUT,
                     "could not connect to %s: timed out after %u s", conn->display,
                     conn->timeout_s);
      else
        {
          g_autofree char *reason = lower_first (g_strerror (last_errno));
          g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_CONNECT, "could not connect to %s: %s",
                       conn->display, reason);
        }
      return FALSE;
    }

  return TRUE;
}

/* Keeps the server's own certificate so that a verification failure can
 * show its fingerprint: after a failed handshake OpenSSL has not recorded
 * the peer certificate yet. The verdict itself is left to OpenSSL. */
static int
verify_callback (int preverify_ok, X509_STORE_CTX *store)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (store, SSL_get_ex_data_X509_STORE_CTX_idx ());
  CliConn *conn = ssl != NULL ? SSL_get_app_data (ssl) : NULL;
  X509 *leaf = X509_STORE_CTX_get0_cert (store);

  if (conn != NULL && conn->peer_leaf == NULL && leaf != NULL && X509_up_ref (leaf))
    conn->peer_leaf = leaf;

  return preverify_ok;
}

/* "AB:CD:..." like `openssl x509 -fingerprint -sha256` (transfer full). */
static char *
cert_fingerprint (X509 *cert)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;

  if (cert == NULL || !X509_digest (cert, EVP_sha256 (), md, &md_len))
    return g_strdup ("unavailable");

  GString *text = g_string_sized_new (md_len * 3);
  for (unsigned int i = 0; i < md_len; i++)
    g_string_append_printf (text, "%s%02X", i > 0 ? ":" : "", md[i]);
  return g_string_free (text, FALSE);
}

typedef enum
{
  OP_HANDSHAKE,
  OP_READ,
  OP_WRITE,
} SslOp;

static char *
op_prefix (CliConn *conn, SslOp op)
{
  switch (op)
    {
      case OP_HANDSHAKE:
        return g_strdup_printf ("TLS handshake with %s failed", conn->display);
      case OP_READ:
        return g_strdup_printf ("could not read from %s", conn->display);
      case OP_WRITE:
      default:
        return g_strdup_printf ("could not send to %s", conn->display);
    }
}

/* Turns a failed SSL_* call into a one-line error. */
static void
set_ssl_error (CliConn *conn, int ret, SslOp op, GError **error)
{
  int saved_errno = errno;
  int ssl_error = SSL_get_error (conn->ssl, ret);
  long verify = SSL_get_verify_result (conn->ssl);

  if (verify != X509_V_OK)
    {
      X509 *cert = conn->peer_leaf;
      if (cert == NULL)
        {
          STACK_OF (X509) *chain = SSL_get_peer_cert_chain (conn->ssl);
          cert = (chain != NULL && sk_X509_num (chain) > 0) ? sk_X509_value (chain, 0) : NULL;
        }
      g_autofree char *fingerprint = cert_fingerprint (cert);
      g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_VERIFY,
                   "could not verify the server certificate of %s: %s "
                   "(server certificate SHA-256 fingerprint %s)",
                   conn->display, X509_verify_cert_error_string (verify), fingerprint);
      ERR_clear_error ();
      return;
    }

  g_autofree char *prefix = op_prefix (conn, op);
  unsigned long e = ERR_peek_last_error ();
  gboolean closed = ssl_error == SSL_ERROR_ZERO_RETURN
                    || (ssl_error == SSL_ERROR_SYSCALL && saved_errno == 0)
                    || (ssl_error == SSL_ERROR_SSL && ERR_GET_LIB (e) == ERR_LIB_SSL
                        && ERR_GET_REASON (e) == SSL_R_UNEXPECTED_EOF_WHILE_READING);

  if (closed)
    g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_CLOSED,
                 "%s: the server closed the connection", prefix);
  else if (ssl_error == SSL_ERROR_SYSCALL)
    {
      g_autofree char *reason = lower_first (g_strerror (saved_errno));
      g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_TLS, "%s: %s", prefix, reason);
    }
  else
    {
      const char *reason = e != 0 ? ERR_reason_error_string (e) : NULL;
      g_autofree char *lower = lower_first (reason != NULL ? reason : "TLS error");
      g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_TLS, "%s: %s", prefix, lower);
    }

  ERR_clear_error ();
}

/* After a WANT_READ/WANT_WRITE, waits for the socket; FALSE on any other
 * outcome (with @error set). */
static gboolean
ssl_retry (CliConn *conn, int ret, SslOp op, GError **error)
{
  switch (SSL_get_error (conn->ssl, ret))
    {
      case SSL_ERROR_WANT_READ:
        return conn_wait (conn, POLLIN, error);
      case SSL_ERROR_WANT_WRITE:
        return conn_wait (conn, POLLOUT, error);
      default:
        set_ssl_error (conn, ret, op, error);
        return FALSE;
    }
}

static gboolean
tls_setup (CliConn *conn, const char *host, const char *ca_file, GError **error)
{
  conn->ctx = SSL_CTX_new (TLS_client_method ());
  if (conn->ctx == NULL)
    {
      g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_TLS, "could not create a TLS context");
      return FALSE;
    }

  SSL_CTX_set_min_proto_version (conn->ctx, TLS1_2_VERSION);
  SSL_CTX_set_options (conn->ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_cipher_list (conn->ctx, CLI_TLS12_CIPHERS);

  if (ca_file != NULL)
    {
      /* Check readability first: OpenSSL's message for a missing file is
       * only "system lib". */
      FILE *f = fopen (ca_file, "r");
      if (f == NULL)
        {
          int saved_errno = errno;
          g_autofree char *reason = lower_first (g_strerror (saved_errno));
          g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_CA,
                       "could not open CA file \"%s\": %s", ca_file, reason);
          return FALSE;
        }
      fclose (f);

      if (SSL_CTX_load_verify_locations (conn->ctx, ca_file, NULL) != 1)
        {
          const char *reason = ERR_reason_error_string (ERR_peek_last_error ());
          g_autofree char *lower = lower_first (reason != NULL ? reason : "no certificates found");
          g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_CA,
                       "could not load CA file \"%s\": %s", ca_file, lower);
          ERR_clear_error ();
          return FALSE;
        }
    }
  else if (SSL_CTX_set_default_verify_paths (conn->ctx) != 1)
    {
      g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_CA,
                   "could not load the system's trusted certificates");
      ERR_clear_error ();
      return FALSE;
    }

  SSL_CTX_set_verify (conn->ctx, SSL_VERIFY_PEER, verify_callback);

  conn->ssl = SSL_new (conn->ctx);
  if (conn->ssl == NULL || SSL_set_fd (conn->ssl, conn->fd) != 1)
    {
      g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_TLS, "could not create a TLS connection");
      return FALSE;
    }
  SSL_set_app_data (conn->ssl, conn);

  gboolean ok;
  if (is_ip_literal (host))
    {
      /* An address is checked against the certificate's IP SANs and is
       * never sent as SNI (RFC 6066 allows only host names there). */
      ok = X509_VERIFY_PARAM_set1_ip_asc (SSL_get0_param (conn->ssl), host) == 1;
    }
  else
    {
      SSL_set_hostflags (conn->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      ok = SSL_set1_host (conn->ssl, host) == 1 && SSL_set_tlsext_host_name (conn->ssl, host) == 1;
    }
  if (!ok)
    {
      g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_ADDRESS,
                   "cannot verify a certificate for host \"%s\"", host);
      ERR_clear_error ();
      return FALSE;
    }

  for (;;)
    {
      ERR_clear_error ();
      errno = 0;
      int ret = SSL_connect (conn->ssl);
      if (ret == 1)
        break;
      if (!ssl_retry (conn, ret, OP_HANDSHAKE, error))
        return FALSE;
    }

  if (conn->verbose)
    g_printerr ("kc-cli: connected to %s (%s, %s)\n", conn->display, SSL_get_version (conn->ssl),
                SSL_get_cipher_name (conn->ssl));
  return TRUE;
}

CliConn *
cli_conn_open (const char *address, const char *ca_file, guint timeout_s, gboolean verbose,
               GError **error)
{
  g_autofree char *host = NULL;
  g_autofree char *port = NULL;

  if (!cli_address_parse (address, &host, &port, error))
    return NULL;

  g_autoptr (CliConn) conn = g_new0 (CliConn, 1);
  conn->fd = -1;
  conn->display = display_address (host, port);
  conn->timeout_s = timeout_s;
  conn->timeout_ms = timeout_s > 0 ? (int)MIN (timeout_s, G_MAXINT / 1000) * 1000 : -1;
  conn->verbose = verbose;
  conn->next_id = 1;
  conn->reader = kc_frame_reader_new (CLI_MAX_LINE);
  conn->chunk = g_malloc (CLI_READ_CHUNK);

  if (!tcp_connect (conn, host, port, error) || !tls_setup (conn, host, ca_file, error))
    return NULL;

  return g_steal_pointer (&conn);
}

static gboolean
conn_write_all (CliConn *conn, const char *data, gsize len, GError **error)
{
  while (len > 0)
    {
      size_t written = 0;

      ERR_clear_error ();
      errno = 0;
      /* Without SSL_MODE_ENABLE_PARTIAL_WRITE this writes everything or
       * nothing, and a retry passes the same buffer, as OpenSSL requires. */
      int ret = SSL_write_ex (conn->ssl, data, len, &written);
      if (ret == 1)
        {
          data += written;
          len -= written;
          continue;
        }
      if (!ssl_retry (conn, ret, OP_WRITE, error))
        return FALSE;
    }

  return TRUE;
}

/* Reads what is available (at least one byte, waiting for it) into the
 * frame reader. */
static gboolean
conn_fill (CliConn *conn, GError **error)
{
  gsize filled = 0;

  for (;;)
    {
      size_t got = 0;

      ERR_clear_error ();
      errno = 0;
      int ret = SSL_read_ex (conn->ssl, conn->chunk + filled, CLI_READ_CHUNK - filled, &got);
      if (ret == 1)
        {
          filled += got;
          if (filled < CLI_READ_CHUNK)
            continue;
          break;
        }

      int ssl_error = SSL_get_error (conn->ssl, ret);
      if (filled > 0 && (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE))
        break; /* nothing more buffered: hand over what we have */
      if (filled > 0)
        {
          /* Deliver the bytes before the error; the next call reports it. */
          ERR_clear_error ();
          break;
        }
      if (!ssl_retry (conn, ret, OP_READ, error))
        return FALSE;
    }

  kc_frame_reader_feed (conn->reader, conn->chunk, filled);
  return TRUE;
}

/* The next non-blank line from the server (transfer full). */
static char *
conn_read_line (CliConn *conn, gsize *len, GError **error)
{
  for (;;)
    {
      char *line = NULL;

      switch (kc_frame_reader_next (conn->reader, &line, len))
        {
          case KC_FRAME_LINE:
            return line;
          case KC_FRAME_TOO_LONG:
            g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_PROTOCOL,
                         "%s sent a line longer than %d MiB", conn->display,
                         CLI_MAX_LINE / (1024 * 1024));
            return NULL;
          case KC_FRAME_NEED_MORE:
            break;
        }

      g_autoptr (GError) local_error = NULL;
      if (!conn_fill (conn, &local_error))
        {
          if (g_error_matches (local_error, CLI_CONN_ERROR, CLI_CONN_ERROR_CLOSED))
            g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_CLOSED,
                         "%s closed the connection before answering", conn->display);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
}

static gboolean
response_id_is (KcResponse *response, gint64 id)
{
  return response->id != NULL && JSON_NODE_HOLDS_VALUE (response->id)
         && json_node_get_value_type (response->id) == G_TYPE_INT64
         && json_node_get_int (response->id) == id;
}

KcResponse *
cli_conn_call (CliConn *conn, const char *method, JsonNode *params, GError **error)
{
  g_autoptr (JsonNode) empty = NULL;
  gint64 id = conn->next_id++;
  gsize request_len = 0;

  if (params == NULL)
    {
      empty = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (empty, json_object_new ());
      params = empty;
    }

  g_autofree char *request = kc_rpc_build_request (id, method, params, &request_len);
  if (conn->verbose)
    g_printerr ("kc-cli: calling %s (id %" G_GINT64_FORMAT ")\n", method, id);

  gboolean sent = conn_write_all (conn, request, request_len, error);
  /* The request may carry a password or a token. */
  explicit_bzero (request, request_len);
  if (!sent)
    return NULL;

  for (;;)
    {
      gsize len = 0;
      g_autofree char *line = conn_read_line (conn, &len, error);
      g_autoptr (GError) parse_error = NULL;

      if (line == NULL)
        return NULL;

      g_autoptr (KcResponse) response = kc_response_parse (line, len, &parse_error);
      if (response == NULL)
        {
          g_set_error (error, CLI_CONN_ERROR, CLI_CONN_ERROR_PROTOCOL,
                       "%s sent an invalid message: %s", conn->display, parse_error->message);
          return NULL;
        }

      if (response->is_notification)
        {
          if (conn->verbose)
            {
              g_autofree char *text
                  = response->params != NULL ? kc_json_to_string (response->params, FALSE) : NULL;
              g_printerr ("notification %s %s\n", response->method != NULL ? response->method : "",
                          text != NULL ? text : "{}");
            }
          continue;
        }

      /* One request is outstanding at a time, so an error the server could
       * not address (id null: oversized or unparsable request) is ours. */
      gboolean id_null = response->id == NULL || JSON_NODE_HOLDS_NULL (response->id);
      if (response_id_is (response, id) || (id_null && response->error_code != 0))
        return g_steal_pointer (&response);

      if (conn->verbose)
        g_printerr (
            "kc-cli: ignoring a response that does not answer request %" G_GINT64_FORMAT "\n", id);
    }
}

void
cli_conn_free (CliConn *conn)
{
  if (conn == NULL)
    return;

  if (conn->ssl != NULL)
    {
      /* One non-blocking attempt at close_notify; the server may already
       * have gone, and we do not wait for its answer. */
      if (SSL_is_init_finished (conn->ssl))
        SSL_shutdown (conn->ssl);
      SSL_free (conn->ssl);
    }
  ERR_clear_error ();
  SSL_CTX_free (conn->ctx);
  if (conn->fd >= 0)
    close (conn->fd);
  X509_free (conn->peer_leaf);
  if (conn->reader != NULL)
    kc_frame_reader_free (conn->reader);
  g_free (conn->chunk);
  g_free (conn->display);
  g_free (conn);
}
