/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-home-format.c — what the home page and the dashboard write without a
 * display: a percentage as Vietnamese reads it ("37,5 %", a no-break space
 * before the sign, "—" for none), and a name for every kind inbox.list
 * sends (sql/0028, sql/0032), none for an unknown one.
 */
#include <gtk/gtk.h>

#include "kc-dashboard-page.h"
#include "kc-inbox-row.h"

static void
test_percent (void)
{
  struct
  {
    gboolean known;
    double value;
    const char *text;
  } cases[] = {
    { TRUE, 37.5, "37,5\u00a0%" },  { TRUE, 0, "0,0\u00a0%" }, { TRUE, 100, "100,0\u00a0%" },
    { TRUE, 12.25, "12,2\u00a0%" }, { FALSE, 0, "—" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = kc_dashboard_percent_text (cases[i].known, cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_kinds (void)
{
  static const char *const kinds[] = { "plan_returned",
                                       "project_revision",
                                       "registration_due",
                                       "plan_to_appraise",
                                       "progress_due",
                                       "progress_to_confirm",
                                       "adjustment_to_decide",
                                       "acceptance_due",
                                       "settlement_dossier_due",
                                       "settlement_due",
                                       "province_report_due",
                                       "correspondence_answered",
                                       "correspondence_to_answer",
                                       "review_to_assign",
                                       "review_to_score",
                                       "review_to_decide",
                                       "plan_decision_due",
                                       "round_report_due",
                                       "round_report_to_review",
                                       "allocation_due",
                                       "refund_due" };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_assert_nonnull (kc_inbox_kind_label (kinds[i]));
  g_assert_null (kc_inbox_kind_label ("no_such_kind"));
  g_assert_null (kc_inbox_kind_label (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/home/percent", test_percent);
  g_test_add_func ("/home/kinds", test_kinds);
  return g_test_run ();
}
