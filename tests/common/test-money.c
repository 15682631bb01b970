/*
 * test-money.c — đồng amounts: Vietnamese grouping, strict parsing.
 */
#include "kc-error.h"
#include "kc-money.h"

#include <string.h>

#define NBSP "\xC2\xA0"
#define DONG "\xE2\x82\xAB"

typedef struct
{
  gint64 value;
  const char *plain;
} FormatCase;

static const FormatCase format_cases[] = {
  { 0, "0" },
  { 1, "1" },
  { -1, "-1" },
  { 999, "999" },
  { -999, "-999" },
  { 1000, "1.000" },
  { -1000, "-1.000" },
  { 5000, "5.000" },
  { 12345, "12.345" },
  { 100000, "100.000" },
  { 999999, "999.999" },
  { 1000000, "1.000.000" },
  { 1234567, "1.234.567" },
  { -1234567, "-1.234.567" },
  { G_MAXINT64, "9.223.372.036.854.775.807" },
  { G_MININT64, "-9.223.372.036.854.775.808" },
  { G_MININT64 + 1, "-9.223.372.036.854.775.807" },
};

static void
test_format (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const FormatCase *c = &format_cases[i];
      g_autofree char *plain = kc_money_format_plain (c->value);
      g_autofree char *full = kc_money_format (c->value);
      g_autofree char *expected = g_strconcat (c->plain, NBSP DONG, NULL);

      g_assert_cmpstr (plain, ==, c->plain);
      g_assert_cmpstr (full, ==, expected);
    }
}

/* The examples of the header, byte for byte: the space is U+00A0. */
static void
test_format_bytes (void)
{
  g_autofree char *a = kc_money_format (1234567);
  g_autofree char *b = kc_money_format (-5000);
  g_autofree char *c = kc_money_format (0);

  g_assert_cmpstr (a, ==, "1.234.567\xC2\xA0\xE2\x82\xAB");
  g_assert_cmpstr (b, ==, "-5.000\xC2\xA0\xE2\x82\xAB");
  g_assert_cmpstr (c, ==, "0" NBSP "₫");
  g_assert_null (strchr (a, ' '));
  g_assert_true (g_utf8_validate (a, -1, NULL));
  g_assert_cmpuint (g_utf8_get_char (strstr (a, "\xC2\xA0")), ==, 0x00A0);
}

typedef struct
{
  const char *text;
  gint64 value;
} ParseCase;

static const ParseCase parse_cases[] = {
  /* the forms of the header */
  { "1.234.567", 1234567 },
  { "1234567", 1234567 },
  { "1 234 567", 1234567 },
  { "1.234.567 ₫", 1234567 },
  { "1.234.567đ", 1234567 },
  { "-500", -500 },
  { "  42  ", 42 },
  /* our own output, and variants people type or paste */
  { "1.234.567" NBSP DONG, 1234567 },
  { "-5.000" NBSP DONG, -5000 },
  { "0" NBSP DONG, 0 },
  { "1" NBSP "234" NBSP "567", 1234567 },
  { "1\xE2\x80\xAF"
    "234",
    1234 }, /* NARROW NO-BREAK SPACE */
  { "1\xE2\x80\x89"
    "234",
    1234 }, /* THIN SPACE */
  { NBSP " 7 \t" NBSP, 7 },
  { "1.000 đ", 1000 },
  { "1.000 Đ", 1000 },
  { "1.000₫", 1000 },
  { "500 VND", 500 },
  { "500vnd", 500 },
  { "500 VNĐ", 500 },
  { "500 vnđ", 500 },
  { "0", 0 },
  { "-0", 0 },
  { "+5", 5 },
  { "007", 7 },
  { "999", 999 },
  { "1.000", 1000 },
  { "12.000", 12000 },
  { "123.000", 123000 },
  { "-1.234.567", -1234567 },
  { "9223372036854775807", G_MAXINT64 },
  { "9.223.372.036.854.775.807", G_MAXINT64 },
  { "-9223372036854775808", G_MININT64 },
  { "-9.223.372.036.854.775.808 ₫", G_MININT64 },
};

static void
test_parse (gconstpointer data)
{
  const ParseCase *c = data;
  g_autoptr (GError) error = NULL;
  gint64 value = 12345;

  g_assert_true (kc_money_parse (c->text, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, c->value);
}

typedef struct
{
  const char *name;
  const char *text;
} RejectCase;

static const RejectCase reject_cases[] = {
  { "fraction-comma", "1,5" },
  { "comma-grouping", "1,234,567" },
  { "vn-decimal", "1.000,00" },
  { "decimal-point", "12.34" },
  { "short-group", "1.23" },
  { "long-group", "1.2345" },
  { "long-first-group", "1234.567" },
  { "double-dot", "1..000" },
  { "leading-dot", ".000" },
  { "trailing-dot", "1.000." },
  { "leading-zero-group", "0.500" },
  { "leading-zero-group-2", "01.000" },
  { "mixed-separators", "1.234 567" },
  { "space-in-group", "1 23" },
  { "double-space", "1  000" },
  { "empty", "" },
  { "spaces", "   " },
  { "sign-only", "-" },
  { "currency-only", "₫" },
  { "currency-and-sign", "- ₫" },
  { "letters", "abc" },
  { "digits-then-letters", "12a" },
  { "exponent", "1e3" },
  { "hex", "0x10" },
  { "double-minus", "--1" },
  { "plus-minus", "+-1" },
  { "sign-space", "- 5" },
  { "sign-after", "5-" },
  { "two-currencies", "5 ₫ ₫" },
  { "currency-first", "₫ 5" },
  { "overflow", "9223372036854775808" },
  { "overflow-grouped", "9.223.372.036.854.775.808" },
  { "underflow", "-9223372036854775809" },
  { "huge", "99999999999999999999999" },
  { "nul-free-but-odd", "1\xC2" },
};

static void
test_reject (gconstpointer data)
{
  const RejectCase *c = data;
  g_autoptr (GError) error = NULL;
  gint64 value = 12345;

  g_assert_false (kc_money_parse (c->text, &value, &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpint (value, ==, 12345);
  /* escaped: some cases are invalid UTF-8, which TAP readers refuse */
  g_autofree char *shown = g_strescape (c->text, NULL);
  g_test_message ("%s → %s", shown, error->message);

  /* a NULL error is allowed */
  g_assert_false (kc_money_parse (c->text, &value, NULL));
}

static void
test_reject_null (void)
{
  g_autoptr (GError) error = NULL;
  gint64 value = 1;

  g_assert_false (kc_money_parse (NULL, &value, &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS);
  g_assert_cmpint (value, ==, 1);
}

/* Whatever is shown can be typed back. */
static void
test_round_trip (void)
{
  const gint64 fixed[] = {
    0, 1, -1, 999, 1000, -1000, 1234567, G_MAXINT64, G_MININT64, G_MAXINT64 - 1, G_MININT64 + 1
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fixed) + 2000; i++)
    {
      gint64 value;
      gint64 parsed = 0;
      g_autofree char *plain = NULL;
      g_autofree char *full = NULL;

      if (i < G_N_ELEMENTS (fixed))
        value = fixed[i];
      else
        {
          /* spread over every magnitude */
          guint64 bits = ((guint64)g_test_rand_int () << 32) | (guint32)g_test_rand_int ();

          value = (gint64)(bits >> g_test_rand_int_range (0, 64));
          if (g_test_rand_bit ())
            value = -value;
        }

      plain = kc_money_format_plain (value);
      full = kc_money_format (value);
      g_assert_true (kc_money_parse (plain, &parsed, NULL));
      g_assert_cmpint (parsed, ==, value);
      g_assert_true (kc_money_parse (full, &parsed, NULL));
      g_assert_cmpint (parsed, ==, value);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/format-bytes", test_format_bytes);
  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/money/parse/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &parse_cases[i], test_parse);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/money/reject/%s", reject_cases[i].name);

      g_test_add_data_func (path, &reject_cases[i], test_reject);
    }
  g_test_add_func ("/money/reject/null", test_reject_null);
  g_test_add_func ("/money/round-trip", test_round_trip);

  return g_test_run ();
}
