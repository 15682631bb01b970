/*
 * test-date.c — wire dates, display dates, instants.
 */
#include "kc-date.h"

typedef struct
{
  const char *text;
  guint year, month, day; /* 0: rejected */
} DateCase;

static const DateCase iso_cases[] = {
  { "2026-02-03", 2026, 2, 3 },
  { "2026-12-31", 2026, 12, 31 },
  { "2024-02-29", 2024, 2, 29 },
  { "2000-02-29", 2000, 2, 29 },
  { "1900-01-01", 1900, 1, 1 },
  { "9999-12-31", 9999, 12, 31 },
  { "2026-2-3" },
  { "2026-02-3" },
  { "26-02-03" },
  { "02026-02-03" },
  { "2026-02-30" },
  { "2026-02-29" },
  { "1900-02-29" },
  { "2026-04-31" },
  { "2026-13-01" },
  { "2026-00-10" },
  { "2026-01-00" },
  { "2026-01-32" },
  { "1899-12-31" },
  { "0000-01-01" },
  { "2026-02-03x" },
  { "2026-02-03 " },
  { " 2026-02-03" },
  { "2026-02-03T00:00:00Z" },
  { "2026/02/03" },
  { "2026.02.03" },
  { "20260203" },
  { "2026-1a-03" },
  { "+026-02-03" },
  { "-026-02-03" },
  { "2026--2-03" },
  { "" },
  { "03/02/2026" },
};

static const DateCase vn_cases[] = {
  { "03/02/2026", 2026, 2, 3 },
  { "3/2/2026", 2026, 2, 3 },
  { "03/2/2026", 2026, 2, 3 },
  { "3/02/2026", 2026, 2, 3 },
  { "29/02/2024", 2024, 2, 29 },
  { "31/12/9999", 9999, 12, 31 },
  { "01/01/1900", 1900, 1, 1 },
  { " 3/2/2026 ", 2026, 2, 3 },
  { "30/02/2026" },
  { "29/02/2026" },
  { "32/01/2026" },
  { "00/01/2026" },
  { "01/13/2026" },
  { "01/00/2026" },
  { "31/04/2026" },
  { "3/2/26" },
  { "3/2/02026" },
  { "003/02/2026" },
  { "03/002/2026" },
  { "03-02-2026" },
  { "03.02.2026" },
  { "2026-02-03" },
  { "03/02/2026x" },
  { "03/02/2026/" },
  { "3//2026" },
  { "/02/2026" },
  { "03/02/" },
  { "03/02" },
  { "3" },
  { "" },
  { "31/12/1899" },
  { "a3/02/2026" },
};

static void
check_date (const DateCase *c, gboolean (*parse) (const char *, GDate *))
{
  GDate date;

  g_date_clear (&date, 1);
  g_assert_cmpint (parse (c->text, &date), ==, c->year != 0);
  if (c->year != 0)
    {
      g_assert_true (g_date_valid (&date));
      g_assert_cmpuint (g_date_get_year (&date), ==, c->year);
      g_assert_cmpuint (g_date_get_month (&date), ==, c->month);
      g_assert_cmpuint (g_date_get_day (&date), ==, c->day);
    }
  else
    /* left untouched */
    g_assert_false (g_date_valid (&date));

  /* a NULL date only validates */
  g_assert_cmpint (parse (c->text, NULL), ==, c->year != 0);
}

static void
test_iso_parse (gconstpointer data)
{
  check_date (data, kc_date_parse_iso);
}

static void
test_vn_parse (gconstpointer data)
{
  check_date (data, kc_date_parse_vn);
}

static void
test_null_text (void)
{
  GDate date;

  g_assert_false (kc_date_parse_iso (NULL, &date));
  g_assert_false (kc_date_parse_vn (NULL, &date));
  g_assert_null (kc_instant_parse (NULL));
}

static void
test_format (void)
{
  GDate date;
  g_autofree char *iso = NULL;
  g_autofree char *vn = NULL;
  g_autofree char *early_iso = NULL;
  g_autofree char *early_vn = NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 3, G_DATE_FEBRUARY, 2026);
  iso = kc_date_format_iso (&date);
  vn = kc_date_format_vn (&date);
  g_assert_cmpstr (iso, ==, "2026-02-03");
  g_assert_cmpstr (vn, ==, "03/02/2026");

  /* dates built from a Julian day number format the same */
  g_date_set_julian (&date, 1);
  early_iso = kc_date_format_iso (&date);
  early_vn = kc_date_format_vn (&date);
  g_assert_cmpstr (early_iso, ==, "0001-01-01");
  g_assert_cmpstr (early_vn, ==, "01/01/0001");
}

/* Every day of a few years, through both forms. */
static void
test_round_trip (void)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1999);
  while (g_date_get_year (&date) < 2030)
    {
      g_autofree char *iso = kc_date_format_iso (&date);
      g_autofree char *vn = kc_date_format_vn (&date);
      GDate back;

      g_assert_true (kc_date_parse_iso (iso, &back));
      g_assert_cmpint (g_date_compare (&date, &back), ==, 0);
      g_assert_true (kc_date_parse_vn (vn, &back));
      g_assert_cmpint (g_date_compare (&date, &back), ==, 0);
      g_date_add_days (&date, 1);
    }
}

static void
test_instant_format (void)
{
  g_autoptr (GDateTime) utc = g_date_time_new_utc (2026, 11, 27, 9, 38, 26.75);
  g_autoptr (GTimeZone) hanoi = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) local = g_date_time_new (hanoi, 2026, 11, 27, 16, 38, 26);
  g_autoptr (GDateTime) new_year = g_date_time_new (hanoi, 2026, 1, 1, 3, 0, 0);
  g_autoptr (GDateTime) early = g_date_time_new_utc (999, 1, 2, 3, 4, 5);
  g_autoptr (GDateTime) last = g_date_time_new_utc (9999, 12, 31, 23, 59, 59.999999);
  g_autofree char *a = kc_instant_format (utc);
  g_autofree char *b = kc_instant_format (local);
  g_autofree char *c = kc_instant_format (new_year);
  g_autofree char *d = kc_instant_format (early);
  g_autofree char *e = kc_instant_format (last);

  g_assert_cmpstr (a, ==, "2026-11-27T09:38:26Z");
  g_assert_cmpstr (b, ==, "2026-11-27T09:38:26Z");
  g_assert_cmpstr (c, ==, "2025-12-31T20:00:00Z");
  g_assert_cmpstr (d, ==, "0999-01-02T03:04:05Z");
  /* truncated, never rounded into the next year */
  g_assert_cmpstr (e, ==, "9999-12-31T23:59:59Z");
}

typedef struct
{
  const char *text;
  const char *utc; /* NULL: rejected */
  int usec;
} InstantCase;

static const InstantCase instant_cases[] = {
  { "2026-11-27T09:38:26Z", "2026-11-27T09:38:26Z", 0 },
  { "2026-11-27T16:38:26+07:00", "2026-11-27T09:38:26Z", 0 },
  { "2026-11-27T02:08:26-07:30", "2026-11-27T09:38:26Z", 0 },
  { "2026-01-01T03:00:00+07:00", "2025-12-31T20:00:00Z", 0 },
  { "2026-11-27T09:38:26-00:00", "2026-11-27T09:38:26Z", 0 },
  { "2026-11-27T09:38:26+00:00", "2026-11-27T09:38:26Z", 0 },
  { "2026-11-27T09:38:26.5Z", "2026-11-27T09:38:26Z", 500000 },
  { "2026-11-27T09:38:26.123456Z", "2026-11-27T09:38:26Z", 123456 },
  { "2026-11-27T09:38:26.1234569+07:00", "2026-11-27T02:38:26Z", 123456 },
  { "2026-11-27T09:38:26.000001Z", "2026-11-27T09:38:26Z", 1 },
  { "2026-11-27t09:38:26z", "2026-11-27T09:38:26Z", 0 },
  { "2026-11-27 09:38:26Z", "2026-11-27T09:38:26Z", 0 },
  { "2024-02-29T23:59:59+23:59", "2024-02-29T00:00:59Z", 0 },
  { "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", 0 },
  { "9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z", 0 },

  { "2026-11-27T09:38:26" },
  { "2026-11-27T09:38Z" },
  { "2026-11-27T9:38:26Z" },
  { "2026-11-27" },
  { "2026-11-27T" },
  { "2026-11-27X09:38:26Z" },
  { "2026-11-27T24:00:00Z" },
  { "2026-11-27T09:60:00Z" },
  { "2026-11-27T09:38:60Z" },
  { "2026-02-30T00:00:00Z" },
  { "2026-13-01T00:00:00Z" },
  { "0000-01-01T00:00:00Z" },
  { "2026-11-27T09:38:26+0700" },
  { "2026-11-27T09:38:26+07" },
  { "2026-11-27T09:38:26+7:00" },
  { "2026-11-27T09:38:26+24:00" },
  { "2026-11-27T09:38:26+07:60" },
  { "2026-11-27T09:38:26.Z" },
  { "2026-11-27T09:38:26,5Z" },
  { "2026-11-27T09:38:26Zx" },
  { "2026-11-27T09:38:26+07:00 " },
  { " 2026-11-27T09:38:26Z" },
  { "20261127T093826Z" },
  { "2026-W48-5T09:38:26Z" },
  { "0001-01-01T00:00:00+00:01" },
  { "" },
};

static void
test_instant_parse (gconstpointer data)
{
  const InstantCase *c = data;
  g_autoptr (GDateTime) instant = kc_instant_parse (c->text);

  if (c->utc == NULL)
    {
      g_assert_null (instant);
      return;
    }

  g_assert_nonnull (instant);
  {
    g_autofree char *formatted = kc_instant_format (instant);

    g_assert_cmpstr (formatted, ==, c->utc);
    g_assert_cmpint (g_date_time_get_microsecond (instant), ==, c->usec);
    /* returned in UTC */
    g_assert_cmpint (g_date_time_get_utc_offset (instant), ==, 0);
  }
}

static void
test_instant_round_trip (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = kc_instant_format (now);
  g_autoptr (GDateTime) back = kc_instant_parse (text);

  g_assert_nonnull (back);
  g_assert_cmpint (g_date_time_to_unix (back), ==, g_date_time_to_unix (now));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (iso_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/date/iso/%s/%" G_GSIZE_FORMAT,
                                               iso_cases[i].year ? "valid" : "invalid", i);

      g_test_add_data_func (path, &iso_cases[i], test_iso_parse);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (vn_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/date/vn/%s/%" G_GSIZE_FORMAT,
                                               vn_cases[i].year ? "valid" : "invalid", i);

      g_test_add_data_func (path, &vn_cases[i], test_vn_parse);
    }
  g_test_add_func ("/date/null-text", test_null_text);
  g_test_add_func ("/date/format", test_format);
  g_test_add_func ("/date/round-trip", test_round_trip);
  g_test_add_func ("/date/instant/format", test_instant_format);
  for (gsize i = 0; i < G_N_ELEMENTS (instant_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/date/instant/parse/%s/%" G_GSIZE_FORMAT,
                                               instant_cases[i].utc ? "valid" : "invalid", i);

      g_test_add_data_func (path, &instant_cases[i], test_instant_parse);
    }
  g_test_add_func ("/date/instant/round-trip", test_instant_round_trip);

  return g_test_run ();
}
