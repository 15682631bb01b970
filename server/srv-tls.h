/*
 * srv-tls.h — TLS for kc-server. The only module that includes OpenSSL's
 * SSL headers. Non-blocking: every call returns at once and says whether it
 * wants the socket readable or writable.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SrvTlsContext SrvTlsContext; /* shared; reloadable */
typedef struct _SrvTls SrvTls;               /* one connection */

typedef enum
{
  SRV_TLS_OK,         /* done (handshake complete / bytes moved) */
  SRV_TLS_WANT_READ,  /* retry when the socket is readable */
  SRV_TLS_WANT_WRITE, /* retry when the socket is writable */
  SRV_TLS_CLOSED,     /* the peer closed the connection cleanly */
  SRV_TLS_ERROR,      /* fatal; the message says why */
} SrvTlsStatus;

/* Loads cert and key; TLS 1.2+ with the suites of PROTOCOL.md. */
SrvTlsContext *srv_tls_context_new (const char *cert, const char *key, GError **error);
void srv_tls_context_free (SrvTlsContext *context);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrvTlsContext, srv_tls_context_free)

/* Loads a new cert and key; on failure keeps the old ones and says why.
 * Connections already established are not touched. */
gboolean srv_tls_context_reload (SrvTlsContext *context, const char *cert, const char *key,
                                 GError **error);

/* Wraps an accepted, non-blocking socket (the fd stays owned by the caller). */
SrvTls *srv_tls_new (SrvTlsContext *context, int fd);
void srv_tls_free (SrvTls *tls);

SrvTlsStatus srv_tls_handshake (SrvTls *tls, char **error_message);
/* Reads up to @len bytes; *@n_read is set on SRV_TLS_OK. */
SrvTlsStatus srv_tls_read (SrvTls *tls, char *buffer, gsize len, gsize *n_read,
                           char **error_message);
SrvTlsStatus srv_tls_write (SrvTls *tls, const char *buffer, gsize len, gsize *n_written,
                            char **error_message);
/* TRUE if decrypted bytes are buffered inside OpenSSL (poll won't tell). */
gboolean srv_tls_has_pending (SrvTls *tls);
/* Sends close_notify, best effort, never blocks. */
void srv_tls_shutdown (SrvTls *tls);
/* "TLSv1.3 TLS_AES_256_GCM_SHA384" for the log (transfer none). */
const char *srv_tls_describe (SrvTls *tls, char *buffer, gsize len);

G_END_DECLS
