/*
 * srv-crypto.c — see srv-crypto.h.
 */
#include "srv-crypto.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

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

char *
srv_crypto_bytea_hex (const guint8 *data, gsize len)
{
  GString *out = g_string_sized_new (2 + 2 * len);

  g_string_append (out, "\\x");
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

GBytes *
srv_crypto_bytea_parse (const char *text)
{
  gsize n;
  guint8 *raw;

  if (text == NULL)
    return NULL;
  if (g_str_has_prefix (text, "\\x"))
    text += 2;
  n = strlen (text);
  if (n % 2 != 0)
    return NULL;
  raw = g_malloc (n / 2 + 1);
  for (gsize i = 0; i < n / 2; i++)
    {
      int hi = g_ascii_xdigit_value (text[2 * i]);
      int lo = g_ascii_xdigit_value (text[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          g_free (raw);
          return NULL;
        }
      raw[i] = (guint8)(hi << 4 | lo);
    }
  return g_bytes_new_take (raw, n / 2);
}

char *
srv_crypto_base32 (const guint8 *data, gsize len)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  GString *out = g_string_sized_new ((len * 8 + 4) / 5);
  guint32 buffer = 0;
  int bits = 0;

  for (gsize i = 0; i < len; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, alphabet[(buffer << (5 - bits)) & 31]);
  return g_string_free (out, FALSE);
}

gint64
srv_crypto_hotp (const guint8 *key, gsize key_len, guint64 counter, guint digits)
{
  static const guint32 powers[]
      = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000 };
  guint8 message[8];
  guint8 mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  guint32 binary;
  guint offset;

  g_return_val_if_fail (digits >= 6 && digits <= 9, -1);
  for (int i = 7; i >= 0; i--)
    {
      message[i] = (guint8)(counter & 0xff);
      counter >>= 8;
    }
  if (HMAC (EVP_sha1 (), key, (int)key_len, message, sizeof message, mac, &mac_len) == NULL
      || mac_len != 20)
    return -1;
  /* Dynamic truncation, RFC 4226 §5.3. */
  offset = mac[19] & 0x0f;
  binary = ((guint32)(mac[offset] & 0x7f) << 24) | ((guint32)mac[offset + 1] << 16)
           | ((guint32)mac[offset + 2] << 8) | (guint32)mac[offset + 3];
  return binary % powers[digits];
}

gboolean
srv_crypto_equal (const char *a, const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  guint8 diff = la != lb;

  for (gsize i = 0; i < MIN (la, lb); i++)
    diff |= (guint8)a[i] ^ (guint8)b[i];
  return diff == 0;
}

#define GCM_NONCE 12
#define GCM_TAG 16

GBytes *
srv_crypto_seal (const guint8 key[32], const char *aad, const guint8 *plain, gsize len)
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  guint8 *out = g_malloc (GCM_NONCE + len + GCM_TAG);
  int n = 0;
  int tail = 0;
  gboolean ok;

  ok = ctx != NULL && srv_crypto_random (out, GCM_NONCE)
       && EVP_EncryptInit_ex (ctx, EVP_aes_256_gcm (), NULL, NULL, NULL) == 1
       && EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_IVLEN, GCM_NONCE, NULL) == 1
       && EVP_EncryptInit_ex (ctx, NULL, NULL, key, out) == 1
       && EVP_EncryptUpdate (ctx, NULL, &n, (const guint8 *)aad, (int)strlen (aad)) == 1
       && EVP_EncryptUpdate (ctx, out + GCM_NONCE, &n, plain, (int)len) == 1
       && EVP_EncryptFinal_ex (ctx, out + GCM_NONCE + n, &tail) == 1 && (gsize)(n + tail) == len
       && EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_GET_TAG, GCM_TAG, out + GCM_NONCE + len) == 1;
  EVP_CIPHER_CTX_free (ctx);
  if (!ok)
    {
      g_free (out);
      return NULL;
    }
  return g_bytes_new_take (out, GCM_NONCE + len + GCM_TAG);
}

GBytes *
srv_crypto_open (const guint8 key[32], const char *aad, GBytes *sealed)
{
  gsize total = 0;
  const guint8 *in = g_bytes_get_data (sealed, &total);
  EVP_CIPHER_CTX *ctx;
  guint8 *out;
  gsize len;
  int n = 0;
  int tail = 0;
  gboolean ok;

  if (total < GCM_NONCE + GCM_TAG)
    return NULL;
  len = total - GCM_NONCE - GCM_TAG;
  ctx = EVP_CIPHER_CTX_new ();
  out = g_malloc (len + 1);
  ok = ctx != NULL && EVP_DecryptInit_ex (ctx, EVP_aes_256_gcm (), NULL, NULL, NULL) == 1
       && EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_IVLEN, GCM_NONCE, NULL) == 1
       && EVP_DecryptInit_ex (ctx, NULL, NULL, key, in) == 1
       && EVP_DecryptUpdate (ctx, NULL, &n, (const guint8 *)aad, (int)strlen (aad)) == 1
       && EVP_DecryptUpdate (ctx, out, &n, in + GCM_NONCE, (int)len) == 1
       && EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_TAG, GCM_TAG, (void *)(in + GCM_NONCE + len))
              == 1
       && EVP_DecryptFinal_ex (ctx, out + n, &tail) == 1;
  EVP_CIPHER_CTX_free (ctx);
  if (!ok)
    {
      memset (out, 0, len);
      g_free (out);
      return NULL;
    }
  return g_bytes_new_take (out, len);
}
