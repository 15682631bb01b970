/*
 * srv-crypto.h — randomness and digests for tokens: the kernel's CSPRNG
 * (getrandom) and SHA-256, safe on any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean srv_crypto_random (guint8 *buffer, gsize len);

/* A new session token: 32 random bytes, base64url without padding
 * (transfer full), or NULL if the CSPRNG failed. */
char *srv_crypto_new_token (void);

/* SHA-256 of @text as the bytea literal "\\x<64 hex>" PostgreSQL takes as a
 * text parameter (transfer full). */
char *srv_crypto_sha256_bytea (const char *text);

/* A short random id for incidents in logs, e.g. "7f3a9c1e2b" (transfer full). */
char *srv_crypto_incident_id (void);

G_END_DECLS
