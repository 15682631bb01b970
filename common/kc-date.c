/*
 * kc-date.c — wire and display forms of dates and instants.
 *
 * Parsing is by hand because the library functions are too forgiving for a
 * wire format: g_date_set_parse guesses at any order and separator, and
 * g_date_time_new_from_iso8601 takes week dates, ordinal dates and the
 * basic (separator-less) ISO 8601 forms.
 */
#include "kc-date.h"

#include <string.h>

/* Exactly @n ASCII digits at @p. */
static gboolean
read_digits (const char *p, gsize n, guint *out)
{
  guint value = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (p[i] < '0' || p[i] > '9')
        return FALSE;
      value = value * 10 + (guint)(p[i] - '0');
    }
  *out = value;
  return TRUE;
}

/* One or two digits; advances *@p. */
static gboolean
read_short_number (const char **p, guint *out)
{
  const char *s = *p;

  if (!g_ascii_isdigit (s[0]))
    return FALSE;
  if (g_ascii_isdigit (s[1]))
    {
      *out = (guint)(s[0] - '0') * 10 + (guint)(s[1] - '0');
      *p = s + 2;
    }
  else
    {
      *out = (guint)(s[0] - '0');
      *p = s + 1;
    }
  return TRUE;
}

static gboolean
set_date (guint year, guint month, guint day, GDate *out)
{
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year))
    return FALSE;
  if (out != NULL)
    g_date_set_dmy (out, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
  return TRUE;
}

gboolean
kc_date_parse_iso (const char *text, GDate *out)
{
  guint year, month, day;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  if (!read_digits (text, 4, &year) || text[4] != '-' || !read_digits (text + 5, 2, &month)
      || text[7] != '-' || !read_digits (text + 8, 2, &day))
    return FALSE;
  return set_date (year, month, day, out);
}

char *
kc_date_format_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u", (guint)g_date_get_year (date),
                          (guint)g_date_get_month (date), (guint)g_date_get_day (date));
}

gboolean
kc_date_parse_vn (const char *text, GDate *out)
{
  const char *p = text;
  guint year, month, day;

  if (p == NULL)
    return FALSE;

  /* Typed by people, so stray spaces around it are forgiven. */
  while (*p == ' ' || *p == '\t')
    p++;
  if (!read_short_number (&p, &day) || *p != '/')
    return FALSE;
  p++;
  if (!read_short_number (&p, &month) || *p != '/')
    return FALSE;
  p++;
  if (!read_digits (p, 4, &year))
    return FALSE;
  p += 4;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '\0')
    return FALSE;
  return set_date (year, month, day, out);
}

char *
kc_date_format_vn (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%02u/%02u/%04u", (guint)g_date_get_day (date),
                          (guint)g_date_get_month (date), (guint)g_date_get_year (date));
}

char *
kc_instant_format (GDateTime *instant)
{
  g_autoptr (GDateTime) utc = NULL;

  g_return_val_if_fail (instant != NULL, NULL);

  utc = g_date_time_to_utc (instant);
  if (utc == NULL)
    return NULL;
  /* Seconds are truncated, not rounded: rounding could carry into the
   * minute, or the year. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year (utc),
                          g_date_time_get_month (utc), g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

/*
 * RFC 3339 date-time: YYYY-MM-DD "T" hh:mm:ss [.fraction] ("Z" / ±hh:mm).
 * Letters may be lower case and "T" a space, as the RFC allows. Leap
 * seconds (":60") are refused: GDateTime cannot hold them. The result is
 * in UTC.
 */
GDateTime *
kc_instant_parse (const char *text)
{
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) local = NULL;
  const char *p = text;
  guint year, month, day, hour, minute, second;
  gint64 usec = 0;
  int offset = 0;

  if (p == NULL || strlen (p) < 20)
    return NULL;

  if (!read_digits (p, 4, &year) || p[4] != '-' || !read_digits (p + 5, 2, &month) || p[7] != '-'
      || !read_digits (p + 8, 2, &day))
    return NULL;
  if (p[10] != 'T' && p[10] != 't' && p[10] != ' ')
    return NULL;
  p += 11;
  if (!read_digits (p, 2, &hour) || p[2] != ':' || !read_digits (p + 3, 2, &minute) || p[5] != ':'
      || !read_digits (p + 6, 2, &second))
    return NULL;
  p += 8;

  if (*p == '.')
    {
      gint64 scale = 100000;

      p++;
      if (!g_ascii_isdigit (*p))
        return NULL;
      /* Microseconds are all GDateTime keeps; further digits are dropped. */
      for (; g_ascii_isdigit (*p); p++)
        {
          usec += (*p - '0') * scale;
          scale /= 10;
        }
    }

  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      guint offset_hours, offset_minutes;
      int sign = *p == '-' ? -1 : 1;

      if (!read_digits (p + 1, 2, &offset_hours) || p[3] != ':'
          || !read_digits (p + 4, 2, &offset_minutes))
        return NULL;
      if (offset_hours > 23 || offset_minutes > 59)
        return NULL;
      offset = sign * (int)(offset_hours * 3600 + offset_minutes * 60);
      p += 6;
    }
  else
    return NULL;
  if (*p != '\0')
    return NULL;

  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59
      || second > 59)
    return NULL;
  if (!g_date_valid_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year))
    return NULL;

  zone = g_time_zone_new_offset (offset);
  /* Whole seconds first, then the fraction exactly: a gdouble of seconds
   * would round some microseconds away. */
  local = g_date_time_new (zone, (int)year, (int)month, (int)day, (int)hour, (int)minute,
                           (gdouble)second);
  if (local == NULL)
    return NULL;
  if (usec != 0)
    {
      GDateTime *with_fraction = g_date_time_add (local, usec);

      g_date_time_unref (local);
      local = with_fraction;
      if (local == NULL)
        return NULL;
    }
  return g_date_time_to_utc (local);
}
