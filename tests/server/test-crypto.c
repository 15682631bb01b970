/*
 * test-crypto.c — the one-time passwords and secret sealing of
 * server/srv-crypto.c against the RFCs' own test vectors.
 */
#include <string.h>

#include "srv-crypto.h"

/* RFC 4226 Appendix D and RFC 6238 Appendix B share this SHA-1 seed. */
static const guint8 seed[] = "12345678901234567890";

static void
test_hotp_rfc4226 (void)
{
  static const gint64 expected[]
      = { 755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489 };

  for (guint64 counter = 0; counter < G_N_ELEMENTS (expected); counter++)
    g_assert_cmpint (srv_crypto_hotp (seed, 20, counter, 6), ==, expected[counter]);
}

static void
test_totp_rfc6238 (void)
{
  /* Appendix B, the SHA-1 rows: T0 = 0, X = 30 s, 8 digits. */
  static const struct
  {
    guint64 time;
    gint64 code;
  } rows[] = {
    { 59, 94287082 },         { 1111111109, 7081804 },
    { 1111111111, 14050471 }, { 1234567890, 89005924 },
    { 2000000000, 69279037 }, { G_GUINT64_CONSTANT (20000000000), 65353130 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpint (srv_crypto_hotp (seed, 20, rows[i].time / 30, 8), ==, rows[i].code);
  /* The leading zero of 07081804 is the caller's to print. */
  g_assert_cmpint (srv_crypto_hotp (seed, 20, 1111111109 / 30, 6), ==, 81804);
}

static void
test_base32 (void)
{
  /* RFC 4648 §10, without the padding. */
  static const char *const cases[][2] = {
    { "", "" },
    { "f", "MY" },
    { "fo", "MZXQ" },
    { "foo", "MZXW6" },
    { "foob", "MZXW6YQ" },
    { "fooba", "MZXW6YTB" },
    { "foobar", "MZXW6YTBOI" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = srv_crypto_base32 ((const guint8 *)cases[i][0], strlen (cases[i][0]));
      g_assert_cmpstr (out, ==, cases[i][1]);
    }
  {
    g_autofree char *out = srv_crypto_base32 (seed, 20);
    g_assert_cmpstr (out, ==, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  }
}

static void
test_seal (void)
{
  guint8 key[32];
  guint8 other[32];
  g_autoptr (GBytes) sealed = NULL;
  g_autoptr (GBytes) again = NULL;
  g_autoptr (GBytes) opened = NULL;
  g_autoptr (GBytes) parsed = NULL;
  g_autofree char *hex = NULL;
  gsize len = 0;
  const guint8 *data;

  memset (key, 7, sizeof key);
  memset (other, 8, sizeof other);
  sealed = srv_crypto_seal (key, "kc-totp:1", seed, 20);
  g_assert_nonnull (sealed);
  g_assert_cmpuint (g_bytes_get_size (sealed), ==, 12 + 20 + 16);
  data = g_bytes_get_data (sealed, &len);
  g_assert_null (memmem (data, len, seed, 20));

  /* A fresh nonce each time. */
  again = srv_crypto_seal (key, "kc-totp:1", seed, 20);
  g_assert_false (g_bytes_equal (sealed, again));

  opened = srv_crypto_open (key, "kc-totp:1", sealed);
  g_assert_nonnull (opened);
  g_assert_cmpmem (g_bytes_get_data (opened, NULL), g_bytes_get_size (opened), seed, 20);

  /* Another user's row, another key, one flipped bit: all refused. */
  g_assert_null (srv_crypto_open (key, "kc-totp:2", sealed));
  g_assert_null (srv_crypto_open (other, "kc-totp:1", sealed));
  hex = srv_crypto_bytea_hex (data, len);
  g_assert_true (g_str_has_prefix (hex, "\\x"));
  hex[10] = hex[10] == '0' ? '1' : '0';
  parsed = srv_crypto_bytea_parse (hex);
  g_assert_nonnull (parsed);
  g_assert_null (srv_crypto_open (key, "kc-totp:1", parsed));
  g_assert_null (srv_crypto_bytea_parse ("\\xzz"));
}

static void
test_equal (void)
{
  g_assert_true (srv_crypto_equal ("123456", "123456"));
  g_assert_false (srv_crypto_equal ("123456", "123457"));
  g_assert_false (srv_crypto_equal ("123456", "12345"));
  g_assert_false (srv_crypto_equal ("", "1"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crypto/hotp/rfc4226", test_hotp_rfc4226);
  g_test_add_func ("/crypto/totp/rfc6238", test_totp_rfc6238);
  g_test_add_func ("/crypto/base32", test_base32);
  g_test_add_func ("/crypto/seal", test_seal);
  g_test_add_func ("/crypto/equal", test_equal);
  return g_test_run ();
}
