/*
 * srv-tls.c — OpenSSL behind a small non-blocking API.
 *
 * Policy (PROTOCOL.md, Mozilla "intermediate"): TLS 1.3 preferred, TLS 1.2
 * minimum with ECDHE + AES-GCM or ChaCha20-Poly1305 only, groups X25519,
 * P-256, P-384, no compression, no renegotiation. Older protocols fail in
 * the handshake with a protocol_version alert; a plain-TCP client fails
 * because its first bytes are not a ClientHello.
 */
#include "srv-tls.h"

#include <errno.h>
#include <string.h>
#include <gio/gio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SSL_CTX, SSL_CTX_free)

struct _SrvTlsContext
{
  SSL_CTX *ctx;
};

struct _SrvTls
{
  SSL *ssl;
};

static const char tls12_ciphers[] = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
static const char tls13_suites[]
    = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

/* Helpers */

/* Drains the OpenSSL error queue into one message. */
static char *
dup_openssl_errors (const char *what)
{
  GString *message = g_string_new (what);
  unsigned long code;
  char buffer[256];

  while ((code = ERR_get_error ()) != 0)
    {
      ERR_error_string_n (code, buffer, sizeof buffer);
      g_string_append (message, ": ");
      g_string_append (message, buffer);
    }
  return g_string_free (message, FALSE);
}

static SSL_CTX *
build_ctx (const char *cert, const char *key, GError **error)
{
  g_autoptr (SSL_CTX) ctx = SSL_CTX_new (TLS_server_method ());

  if (ctx == NULL)
    goto fail;

  SSL_CTX_set_min_proto_version (ctx, TLS1_2_VERSION);
  SSL_CTX_set_options (ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION
                                | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
  /* Partial writes let one big reply go out in pieces without holding a
   * copy; the moving buffer is needed because our output buffer may be
   * reallocated between retries. */
  SSL_CTX_set_mode (ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                             | SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_set_cipher_list (ctx, tls12_ciphers) != 1
      || SSL_CTX_set_ciphersuites (ctx, tls13_suites) != 1
      || SSL_CTX_set1_groups_list (ctx, "X25519:P-256:P-384") != 1)
    goto fail;
  SSL_CTX_set_session_cache_mode (ctx, SSL_SESS_CACHE_OFF);
  /* SSL_OP_NO_TICKET stops TLS 1.2 tickets only: TLS 1.3 would still send
   * two tickets under a key that never rotates. None at all. */
  SSL_CTX_set_num_tickets (ctx, 0);

  if (SSL_CTX_use_certificate_chain_file (ctx, cert) != 1)
    {
      g_autofree char *m = dup_openssl_errors ("could not load certificate");
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s \"%s\"", m, cert);
      return NULL;
    }
  if (SSL_CTX_use_PrivateKey_file (ctx, key, SSL_FILETYPE_PEM) != 1
      || SSL_CTX_check_private_key (ctx) != 1)
    {
      g_autofree char *m = dup_openssl_errors ("could not load private key");
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s \"%s\"", m, key);
      return NULL;
    }
  return g_steal_pointer (&ctx);

fail:
  {
    g_autofree char *m = dup_openssl_errors ("could not set up TLS");
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, m);
    return NULL;
  }
}

static SrvTlsStatus
map_result (SrvTls *tls, int ret, const char *what, char **error_message)
{
  int err = SSL_get_error (tls->ssl, ret);

  switch (err)
    {
      case SSL_ERROR_NONE:
        return SRV_TLS_OK;
      case SSL_ERROR_WANT_READ:
        return SRV_TLS_WANT_READ;
      case SSL_ERROR_WANT_WRITE:
        return SRV_TLS_WANT_WRITE;
      case SSL_ERROR_ZERO_RETURN:
        return SRV_TLS_CLOSED;
      case SSL_ERROR_SYSCALL:
        if (ERR_peek_error () == 0)
          {
            if (error_message != NULL)
              *error_message = g_strdup_printf (
                  "%s: %s", what, errno != 0 ? g_strerror (errno) : "peer closed the connection");
            return errno == 0 ? SRV_TLS_CLOSED : SRV_TLS_ERROR;
          }
        G_GNUC_FALLTHROUGH;
      default:
        if (error_message != NULL)
          *error_message = dup_openssl_errors (what);
        else
          ERR_clear_error ();
        return SRV_TLS_ERROR;
    }
}

/* Public API */

SrvTlsContext *
srv_tls_context_new (const char *cert, const char *key, GError **error)
{
  SSL_CTX *ctx = build_ctx (cert, key, error);
  SrvTlsContext *context;

  if (ctx == NULL)
    return NULL;
  context = g_new0 (SrvTlsContext, 1);
  context->ctx = ctx;
  return context;
}

void
srv_tls_context_free (SrvTlsContext *context)
{
  if (context == NULL)
    return;
  SSL_CTX_free (context->ctx);
  g_free (context);
}

gboolean
srv_tls_context_reload (SrvTlsContext *context, const char *cert, const char *key, GError **error)
{
  SSL_CTX *ctx = build_ctx (cert, key, error);

  if (ctx == NULL)
    return FALSE;
  /* Established SSL objects hold their own reference to the old SSL_CTX,
   * so freeing ours here does not drop anyone. */
  SSL_CTX_free (context->ctx);
  context->ctx = ctx;
  return TRUE;
}

SrvTls *
srv_tls_new (SrvTlsContext *context, int fd)
{
  SrvTls *tls = g_new0 (SrvTls, 1);

  tls->ssl = SSL_new (context->ctx);
  if (tls->ssl == NULL || SSL_set_fd (tls->ssl, fd) != 1)
    {
      ERR_clear_error ();
      srv_tls_free (tls);
      return NULL;
    }
  SSL_set_accept_state (tls->ssl);
  return tls;
}

void
srv_tls_free (SrvTls *tls)
{
  if (tls == NULL)
    return;
  SSL_free (tls->ssl);
  g_free (tls);
}

SrvTlsStatus
srv_tls_handshake (SrvTls *tls, char **error_message)
{
  int ret;

  /* Clear the queue first: SSL_get_error() looks at it, and a stale entry
   * from another connection would be reported as ours. */
  ERR_clear_error ();
  errno = 0;
  ret = SSL_do_handshake (tls->ssl);
  if (ret == 1)
    return SRV_TLS_OK;
  return map_result (tls, ret, "TLS handshake failed", error_message);
}

SrvTlsStatus
srv_tls_read (SrvTls *tls, char *buffer, gsize len, gsize *n_read, char **error_message)
{
  size_t n = 0;
  int ret;

  ERR_clear_error ();
  errno = 0;
  ret = SSL_read_ex (tls->ssl, buffer, len, &n);
  if (ret == 1)
    {
      *n_read = n;
      return SRV_TLS_OK;
    }
  return map_result (tls, ret, "could not read", error_message);
}

SrvTlsStatus
srv_tls_write (SrvTls *tls, const char *buffer, gsize len, gsize *n_written, char **error_message)
{
  size_t n = 0;
  int ret;

  ERR_clear_error ();
  errno = 0;
  ret = SSL_write_ex (tls->ssl, buffer, len, &n);
  if (ret == 1)
    {
      *n_written = n;
      return SRV_TLS_OK;
    }
  return map_result (tls, ret, "could not write", error_message);
}

gboolean
srv_tls_has_pending (SrvTls *tls)
{
  return SSL_pending (tls->ssl) > 0;
}

void
srv_tls_shutdown (SrvTls *tls)
{
  ERR_clear_error ();
  if (SSL_is_init_finished (tls->ssl))
    SSL_shutdown (tls->ssl);
  ERR_clear_error ();
}

const char *
srv_tls_describe (SrvTls *tls, char *buffer, gsize len)
{
  g_snprintf (buffer, len, "%s %s", SSL_get_version (tls->ssl),
              SSL_CIPHER_get_name (SSL_get_current_cipher (tls->ssl)));
  return buffer;
}
