/*
 * srv-crypto.h — randomness and digests for tokens: the kernel's CSPRNG
 * (getrandom) and SHA-256, safe on any thread; one-time passwords (HOTP,
 * RFC 4226, with HMAC-SHA1 from OpenSSL) and the authenticated encryption
 * (AES-256-GCM) that keeps TOTP secrets unreadable in a database dump.
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

/* The bytea literal "\\x<hex>" of @len bytes (transfer full). */
char *srv_crypto_bytea_hex (const guint8 *data, gsize len);

/* Parses "<hex>" or "\\x<hex>" (as PostgreSQL prints bytea) into a new
 * GBytes, or NULL if it is not hexadecimal. */
GBytes *srv_crypto_bytea_parse (const char *text);

/* RFC 4648 base32 without padding, upper case (transfer full). */
char *srv_crypto_base32 (const guint8 *data, gsize len);

/* HOTP (RFC 4226 §5.3): the @digits-digit code (6 to 9) for @counter with
 * HMAC-SHA1 over @key; TOTP (RFC 6238) passes the 30 s time step as
 * @counter. Returns -1 if OpenSSL failed. */
gint64 srv_crypto_hotp (const guint8 *key, gsize key_len, guint64 counter, guint digits);

/* Compares two NUL-terminated strings in time that depends only on their
 * lengths. */
gboolean srv_crypto_equal (const char *a, const char *b);

/* AES-256-GCM: nonce (12 random bytes) || ciphertext || tag (16), with
 * @aad authenticated alongside. @key is 32 bytes. NULL on failure. */
GBytes *srv_crypto_seal (const guint8 key[32], const char *aad, const guint8 *plain, gsize len);

/* The inverse of srv_crypto_seal(); NULL if the key, @aad or the data do
 * not match (tampered, another user's row, another key). */
GBytes *srv_crypto_open (const guint8 key[32], const char *aad, GBytes *sealed);

G_END_DECLS
