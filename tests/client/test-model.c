/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-model.c — the records of client/model read from replies as the
 * server sends them: present, absent and null members (no display needed).
 */
#include <json-glib/json-glib.h>

#include "kc-budget-row.h"
#include "kc-plan.h"
#include "kc-project-summary.h"

static JsonObject *
parse (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_project_summary (void)
{
  g_autoptr (JsonObject) object
      = parse ("{\"id\": 7, \"code\": \"KCĐP-25-2027-003\", \"plan_id\": 3, \"year\": 2027, "
               "\"org_id\": 41, \"title\": \"Máy sấy chè\", \"status\": \"draft\", "
               "\"stage\": null, \"version\": 4, \"total\": 1500000000}");
  g_autoptr (JsonObject) empty = parse ("{\"title\": null}");
  g_autoptr (KcProjectSummary) p = kc_project_summary_new_from_json (object);
  g_autoptr (KcProjectSummary) q = kc_project_summary_new_from_json (empty);

  g_assert_cmpint (kc_project_summary_get_id (p), ==, 7);
  g_assert_cmpint (kc_project_summary_get_plan_id (p), ==, 3);
  g_assert_cmpint (kc_project_summary_get_org_id (p), ==, 41);
  g_assert_cmpint (kc_project_summary_get_version (p), ==, 4);
  g_assert_cmpint (kc_project_summary_get_year (p), ==, 2027);
  g_assert_cmpint (kc_project_summary_get_total (p), ==, 1500000000);
  g_assert_cmpstr (kc_project_summary_get_code (p), ==, "KCĐP-25-2027-003");
  g_assert_cmpstr (kc_project_summary_get_title (p), ==, "Máy sấy chè");
  g_assert_cmpstr (kc_project_summary_get_status (p), ==, "draft");
  g_assert_cmpstr (kc_project_summary_get_stage (p), ==, "");
  /* absent or null: 0 and "", never NULL */
  g_assert_cmpint (kc_project_summary_get_id (q), ==, 0);
  g_assert_cmpstr (kc_project_summary_get_title (q), ==, "");
  g_assert_cmpstr (kc_project_summary_get_code (q), ==, "");
}

static void
test_plan (void)
{
  g_autoptr (JsonObject) object
      = parse ("{\"id\": 3, \"version\": 2, \"year\": 2027, \"scope\": \"local\", "
               "\"org_name\": \"Sở Công Thương Phú Thọ\", \"title\": null, \"status\": "
               "\"draft\", \"project_count\": 5, \"total\": 42, \"deadline\": \"2026-07-31\"}");
  g_autoptr (KcPlan) plan = kc_plan_new_from_json (object);

  g_assert_cmpint (kc_plan_get_id (plan), ==, 3);
  g_assert_cmpint (kc_plan_get_version (plan), ==, 2);
  g_assert_cmpint (kc_plan_get_year (plan), ==, 2027);
  g_assert_cmpint (kc_plan_get_project_count (plan), ==, 5);
  g_assert_cmpint (kc_plan_get_total (plan), ==, 42);
  g_assert_cmpstr (kc_plan_get_scope (plan), ==, "local");
  g_assert_cmpstr (kc_plan_get_org_name (plan), ==, "Sở Công Thương Phú Thọ");
  g_assert_null (kc_plan_get_title (plan));
  g_assert_cmpstr (kc_plan_get_status (plan), ==, "draft");
  g_assert_cmpstr (kc_plan_get_deadline (plan), ==, "2026-07-31");
}

static void
test_budget_row (void)
{
  g_autoptr (JsonObject) by_source
      = parse ("{\"source\": \"central\", \"appropriated\": 100, \"allocated\": 0, "
               "\"remaining\": 100}");
  g_autoptr (JsonObject) by_province
      = parse ("{\"province_code\": \"25\", \"allocated\": 5, \"contracted\": null, \"paid\": 1}");
  g_autoptr (KcBudgetRow) s = kc_budget_row_new_from_json (by_source);
  g_autoptr (KcBudgetRow) p = kc_budget_row_new_from_json (by_province);
  gint64 value = -1;

  g_assert_cmpstr (kc_budget_row_get_source (s), ==, "central");
  g_assert_true (kc_budget_row_get_figure (s, KC_BUDGET_APPROPRIATED, &value));
  g_assert_cmpint (value, ==, 100);
  /* 0 sent is 0; not sent is absent */
  g_assert_true (kc_budget_row_get_figure (s, KC_BUDGET_ALLOCATED, &value));
  g_assert_cmpint (value, ==, 0);
  g_assert_false (kc_budget_row_get_figure (s, KC_BUDGET_PAID, &value));
  g_assert_null (kc_budget_row_get_province_name (p));
  g_assert_cmpstr (kc_budget_row_get_province_code (p), ==, "25");
  g_assert_true (kc_budget_row_get_figure (p, KC_BUDGET_CONTRACTED, &value));
  g_assert_cmpint (value, ==, 0);
  g_assert_false (kc_budget_row_get_figure (p, KC_BUDGET_APPROPRIATED, &value));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/project-summary", test_project_summary);
  g_test_add_func ("/model/plan", test_plan);
  g_test_add_func ("/model/budget-row", test_budget_row);
  return g_test_run ();
}
