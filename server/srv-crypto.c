/*
 * srv-crypto.c — see srv-crypto.h.
 */
#include "srv-crypto.h"

#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

gboolean
srv_crypto_random (guint8 *buffer, gsize len)
{
  return RAND_bytes (buffer, (int)len) == 1;
}

char *
srv_crypto_new_token (void)
{
  guint8 raw[32];
  char *token;

  if (!srv_crypto_random (raw, sizeof raw))
    return NULL;
  token = g_base64_encode (raw, sizeof raw);
  /* base64url: the token travels in JSON and may end up in a file name. */
  for (char *p = token; *p != '\0'; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
  *strchrnul (token, '=') = '\0';
  return token;
}

char *
srv_crypto_sha256_bytea (const char *text)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  GString *out = g_string_new ("\\x");

  EVP_Digest (text, strlen (text), digest, &len, EVP_sha256 (), NULL);
  for (unsigned int i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", digest[i]);
  return g_string_free (out, FALSE);
}

char *
srv_crypto_incident_id (void)
{
  guint8 raw[5];
  GString *out = g_string_new (NULL);

  if (!srv_crypto_random (raw, sizeof raw))
    memset (raw, 0, sizeof raw);
  for (gsize i = 0; i < sizeof raw; i++)
    g_string_append_printf (out, "%02x", raw[i]);
  return g_string_free (out, FALSE);
}
