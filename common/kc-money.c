/*
 * kc-money.c — formatting and parsing of amounts in đồng.
 */
#include "kc-money.h"
#include "kc-error.h"

#include <string.h>

/* "-9.223.372.036.854.775.808" is 26 bytes. */
#define GROUPED_MAX 32

#define NBSP "\xC2\xA0"
#define DONG_SIGN "\xE2\x82\xAB" /* ₫ U+20AB */

/* Writes the grouped digits at the end of @buf and returns where they
 * start. The magnitude is taken in unsigned arithmetic, where -G_MININT64
 * exists. */
static const char *
group_digits (gint64 dong, char buf[GROUPED_MAX])
{
  char *p = buf + GROUPED_MAX;
  guint64 magnitude = dong < 0 ? 0 - (guint64)dong : (guint64)dong;
  int n = 0;

  *--p = '\0';
  do
    {
      if (n > 0 && n % 3 == 0)
        *--p = '.';
      *--p = (char)('0' + magnitude % 10);
      magnitude /= 10;
      n++;
    }
  while (magnitude != 0);
  if (dong < 0)
    *--p = '-';
  return p;
}

char *
kc_money_format (gint64 dong)
{
  char buf[GROUPED_MAX];

  return g_strconcat (group_digits (dong, buf), NBSP DONG_SIGN, NULL);
}

char *
kc_money_format_plain (gint64 dong)
{
  char buf[GROUPED_MAX];

  return g_strdup (group_digits (dong, buf));
}

/* Spaces a user may type or paste from formatted text: ASCII space and tab,
 * NO-BREAK SPACE (our own output), NARROW NO-BREAK SPACE and THIN SPACE
 * (other programs' thousands separators). Returns the byte length of the
 * space starting at @p, or 0. */
static gsize
space_at (const char *p, const char *end)
{
  static const char *const spaces[] = { " ", "\t", NBSP, "\xE2\x80\xAF", "\xE2\x80\x89" };

  for (gsize i = 0; i < G_N_ELEMENTS (spaces); i++)
    {
      gsize n = strlen (spaces[i]);

      if ((gsize)(end - p) >= n && memcmp (p, spaces[i], n) == 0)
        return n;
    }
  return 0;
}

/* Byte length of the space ending at @end, or 0. */
static gsize
space_before (const char *begin, const char *end)
{
  for (gsize n = 1; n <= 3 && n <= (gsize)(end - begin); n++)
    if (space_at (end - n, end) == n)
      return n;
  return 0;
}

static gboolean
has_suffix_ci (const char *begin, const char *end, const char *suffix)
{
  gsize n = strlen (suffix);

  return (gsize)(end - begin) >= n && g_ascii_strncasecmp (end - n, suffix, n) == 0;
}

/* Removes one currency sign from the end: "₫", "đ", "Đ", "VND", "VNĐ".
 * The longer signs come first, or "VNĐ" would lose only its "Đ". */
static const char *
strip_currency (const char *begin, const char *end)
{
  static const char *const signs[]
      = { "VN\xC4\x90", "vn\xC4\x91", "VND", DONG_SIGN, "\xC4\x91", "\xC4\x90" };

  for (gsize i = 0; i < G_N_ELEMENTS (signs); i++)
    if (has_suffix_ci (begin, end, signs[i]))
      return end - strlen (signs[i]);
  return end;
}

static gboolean
fail (GError **error, const char *message)
{
  g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS, message);
  return FALSE;
}

typedef enum
{
  SEP_NONE,
  SEP_DOT,
  SEP_SPACE,
} Separator;

gboolean
kc_money_parse (const char *text, gint64 *out, GError **error)
{
  const char *p = text != NULL ? text : "";
  const char *end = p + strlen (p);
  gboolean negative = FALSE;
  guint64 limit;
  guint64 magnitude = 0;
  Separator separator = SEP_NONE;
  gsize group = 0; /* digits in the current group */
  gboolean first_group_zero = FALSE;
  gsize n;

  while ((n = space_at (p, end)) != 0)
    p += n;
  while ((n = space_before (p, end)) != 0)
    end -= n;
  end = strip_currency (p, end);
  while ((n = space_before (p, end)) != 0)
    end -= n;

  if (p == end)
    return fail (error, "The amount is empty");

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  limit = negative ? (guint64)G_MAXINT64 + 1 : (guint64)G_MAXINT64;

  while (p < end)
    {
      Separator kind = SEP_NONE;

      if (*p >= '0' && *p <= '9')
        {
          guint digit = *p - '0';

          if (magnitude > (limit - digit) / 10)
            return fail (error, "The amount is out of range");
          if (separator == SEP_NONE && group == 0 && digit == 0 && magnitude == 0)
            first_group_zero = TRUE;
          magnitude = magnitude * 10 + digit;
          group++;
          p++;
          continue;
        }

      if (*p == ',')
        return fail (error, "Amounts are whole numbers of dong: no decimal comma; group thousands "
                            "with '.' (1.234.567)");
      if (*p == '.')
        {
          kind = SEP_DOT;
          n = 1;
        }
      else if ((n = space_at (p, end)) != 0)
        kind = SEP_SPACE;
      else
        return fail (error, "The amount is not a number");

      /* Every group after the first has exactly three digits, the first
       * one to three without a leading zero: "12.34" or "0.500" are more
       * likely a mistyped decimal than a number of đồng. */
      if (group == 0 && separator == SEP_NONE)
        return fail (error, "The amount is not a number");
      if (group == 0 || (separator != SEP_NONE && kind != separator))
        return fail (error, "Misplaced thousands separator");
      if (separator == SEP_NONE ? group > 3 || first_group_zero : group != 3)
        return fail (error, "Misplaced thousands separator");
      separator = kind;
      group = 0;
      p += n;
    }

  if (group == 0)
    return fail (error, separator == SEP_NONE ? "The amount has no digits"
                                              : "Misplaced thousands separator");
  if (separator != SEP_NONE && group != 3)
    return fail (error, "Misplaced thousands separator");

  if (out != NULL)
    *out = negative && magnitude > 0 ? -(gint64)(magnitude - 1) - 1 : (gint64)magnitude;
  return TRUE;
}
