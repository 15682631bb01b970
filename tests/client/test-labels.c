/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-labels.c — the dates of the wire as the client writes them
 * (widgets/kc-labels.h, the one helper the pages and the editor share): a
 * date, a month and an instant in local time, and what is not one.
 */
#include <glib.h>

#include "kc-labels.h"

static void
test_date (void)
{
  const char *cases[][2] = {
    { "2026-03-20", "20/03/2026" },
    { "2026-12-31", "31/12/2026" },
    { "not a date", "not a date" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = kc_label_date (cases[i][0]);

      g_assert_cmpstr (text, ==, cases[i][1]);
    }
  {
    g_autofree char *none = kc_label_date (NULL);

    g_assert_cmpstr (none, ==, "");
  }
}

static void
test_month (void)
{
  g_autofree char *month = kc_label_month ("2026-11");
  g_autofree char *short_text = kc_label_month ("2026");
  g_autofree char *none = kc_label_month (NULL);

  g_assert_cmpstr (month, ==, "11/2026");
  g_assert_cmpstr (short_text, ==, "");
  g_assert_cmpstr (none, ==, "");
}

static void
test_instant (void)
{
  /* TZ is UTC (main): local time is the instant's own. */
  g_autofree char *at = kc_label_instant ("2026-03-20T14:05:09Z");
  g_autofree char *offset = kc_label_instant ("2026-03-20T21:05:09+07:00");
  g_autofree char *fraction = kc_label_instant ("2026-03-20T14:05:09.123456Z");
  g_autofree char *bad = kc_label_instant ("20/03/2026");
  g_autofree char *none = kc_label_instant (NULL);

  g_assert_cmpstr (at, ==, "20/03/2026 14:05");
  g_assert_cmpstr (offset, ==, "20/03/2026 14:05");
  g_assert_cmpstr (fraction, ==, "20/03/2026 14:05");
  g_assert_cmpstr (bad, ==, "");
  g_assert_cmpstr (none, ==, "");
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/labels/date", test_date);
  g_test_add_func ("/labels/month", test_month);
  g_test_add_func ("/labels/instant", test_instant);
  return g_test_run ();
}
