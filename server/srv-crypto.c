/*
 * srv-crypto.c — see srv-crypto.h.
 */
#include "srv-crypto.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

/* The kernel's CSPRNG rather than RAND_bytes(): OpenSSL keeps a DRBG per
 * calling thread, freed only when that thread exits through OpenSSL's own
 * hooks, which GLib's worker threads never call; getrandom() has no such
 * state. */
gboolean
srv_crypto_random (guint8 *buffer, gsize len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buffer + done, len - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize)n;
    }
  return TRUE;
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
  /* GLib's SHA-256, not OpenSSL's: this runs on worker threads, where
   * OpenSSL would keep per-thread state (see srv_crypto_random). */
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *)text, strlen (text));
  return g_strconcat ("\\x", g_checksum_get_string (checksum), NULL);
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
