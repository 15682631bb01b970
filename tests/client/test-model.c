/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-model.c — the records of client/model read from replies as the
 * server sends them: present, absent and null members; and KcRecordList, the
 * GtkTreeModel over a GListStore of them (no display needed).
 */
#include <json-glib/json-glib.h>

#include "kc-account.h"
#include "kc-audit-entry.h"
#include "kc-budget-row.h"
#include "kc-collate.h"
#include "kc-org.h"
#include "kc-plan.h"
#include "kc-project-summary.h"
#include "kc-record-list.h"
#include "kc-request.h"
#include "kc-review-item.h"
#include "kc-typical-product.h"

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
  /* the title's sort key, made once and kept */
  {
    g_autofree char *key = kc_collate_key ("Máy sấy chè");

    g_assert_cmpstr (kc_project_summary_get_title_key (p), ==, key);
    g_assert_true (kc_project_summary_get_title_key (p) == kc_project_summary_get_title_key (p));
  }
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
test_review_item (void)
{
  g_autoptr (JsonObject) object
      = parse ("{\"id\": 9, \"position\": 2, \"code\": \"KCQG-2027-001\", \"title\": "
               "\"Lò sấy\", \"stage\": \"review\", \"late\": true, \"submission\": 2, "
               "\"rank\": {\"average_score\": 7.5}, \"total\": 900, \"reviewer_id\": 4}");
  g_autoptr (JsonObject) empty = parse ("{\"rank\": {\"average_score\": null}, \"late\": null}");
  g_autoptr (KcReviewItem) item = kc_review_item_new_from_json (object);
  g_autoptr (KcReviewItem) none = kc_review_item_new_from_json (empty);
  double score = -1;

  g_assert_cmpint (kc_review_item_get_id (item), ==, 9);
  g_assert_cmpint (kc_review_item_get_position (item), ==, 2);
  g_assert_cmpstr (kc_review_item_get_code (item), ==, "KCQG-2027-001");
  g_assert_cmpstr (kc_review_item_get_title (item), ==, "Lò sấy");
  g_assert_cmpstr (kc_review_item_get_stage (item), ==, "review");
  g_assert_true (kc_review_item_get_late (item));
  g_assert_cmpint (kc_review_item_get_submission (item), ==, 2);
  g_assert_true (kc_review_item_get_score (item, &score));
  g_assert_cmpfloat (score, ==, 7.5);
  g_assert_cmpint (kc_review_item_get_total (item), ==, 900);
  g_assert_cmpint (kc_review_item_get_reviewer_id (item), ==, 4);
  /* absent or null: 0, "", not scored; the submission the first */
  score = -1;
  g_assert_cmpint (kc_review_item_get_id (none), ==, 0);
  g_assert_cmpstr (kc_review_item_get_code (none), ==, "");
  g_assert_cmpstr (kc_review_item_get_stage (none), ==, "");
  g_assert_false (kc_review_item_get_late (none));
  g_assert_cmpint (kc_review_item_get_submission (none), ==, 1);
  g_assert_false (kc_review_item_get_score (none, &score));
  g_assert_cmpfloat (score, ==, -1);
  g_assert_cmpint (kc_review_item_get_reviewer_id (none), ==, 0);
}

static void
test_account (void)
{
  g_autoptr (JsonObject) object
      = parse ("{\"id\": 5, \"version\": 3, \"username\": \"lan\", \"full_name\": "
               "\"Đỗ Thị Lan\", \"role\": \"province_officer\", \"org_id\": 41, "
               "\"disabled\": false, \"must_change_password\": true}");
  g_autoptr (JsonObject) empty = parse ("{\"full_name\": null, \"disabled\": null}");
  g_autoptr (KcAccount) a = kc_account_new_from_json (object);
  g_autoptr (KcAccount) none = kc_account_new_from_json (empty);
  g_autofree char *key = kc_collate_key ("Đỗ Thị Lan");

  g_assert_cmpint (kc_account_get_id (a), ==, 5);
  g_assert_cmpint (kc_account_get_version (a), ==, 3);
  g_assert_cmpstr (kc_account_get_username (a), ==, "lan");
  g_assert_cmpstr (kc_account_get_full_name (a), ==, "Đỗ Thị Lan");
  g_assert_cmpstr (kc_account_get_full_name_key (a), ==, key);
  g_assert_cmpstr (kc_account_get_role (a), ==, "province_officer");
  g_assert_cmpint (kc_account_get_org_id (a), ==, 41);
  g_assert_false (kc_account_get_disabled (a));
  g_assert_true (kc_account_get_must_change_password (a));
  /* absent or null: 0, FALSE and "" */
  g_assert_cmpint (kc_account_get_id (none), ==, 0);
  g_assert_cmpint (kc_account_get_org_id (none), ==, 0);
  g_assert_cmpstr (kc_account_get_username (none), ==, "");
  g_assert_cmpstr (kc_account_get_full_name (none), ==, "");
  g_assert_cmpstr (kc_account_get_role (none), ==, "");
  g_assert_false (kc_account_get_disabled (none));
  g_assert_false (kc_account_get_must_change_password (none));
}

static void
test_request (void)
{
  g_autoptr (JsonObject) object
      = parse ("{\"id\": 12, \"version\": 2, \"opened_at\": \"2026-03-04T08:00:00Z\", "
               "\"subject\": \"Hỏi về định mức\", \"status\": \"answered\", \"due\": "
               "\"2026-03-18\", \"overdue\": true}");
  g_autoptr (JsonObject) empty = parse ("{\"due\": null}");
  g_autoptr (KcRequest) r = kc_request_new_from_json (object);
  g_autoptr (KcRequest) none = kc_request_new_from_json (empty);

  g_assert_cmpint (kc_request_get_id (r), ==, 12);
  g_assert_cmpint (kc_request_get_version (r), ==, 2);
  g_assert_cmpstr (kc_request_get_opened_at (r), ==, "2026-03-04T08:00:00Z");
  g_assert_cmpstr (kc_request_get_subject (r), ==, "Hỏi về định mức");
  g_assert_cmpstr (kc_request_get_status (r), ==, "answered");
  g_assert_cmpstr (kc_request_get_due (r), ==, "2026-03-18");
  g_assert_true (kc_request_get_overdue (r));
  /* absent or null: 0, FALSE and "" */
  g_assert_cmpint (kc_request_get_id (none), ==, 0);
  g_assert_cmpstr (kc_request_get_opened_at (none), ==, "");
  g_assert_cmpstr (kc_request_get_subject (none), ==, "");
  g_assert_cmpstr (kc_request_get_status (none), ==, "");
  g_assert_cmpstr (kc_request_get_due (none), ==, "");
  g_assert_false (kc_request_get_overdue (none));
}

static void
test_audit_entry (void)
{
  g_autoptr (JsonObject) object
      = parse ("{\"seq\": 301, \"at\": \"2026-03-04T08:00:00Z\", \"username\": \"admin\", "
               "\"method\": \"project.save\", \"record_type\": \"project\", \"record_id\": "
               "7, \"record_name\": \"KCĐP-2026-25-003\", \"peer\": \"local\"}");
  g_autoptr (JsonObject) empty = parse ("{\"username\": null, \"record_type\": null}");
  g_autoptr (KcAuditEntry) e = kc_audit_entry_new_from_json (object);
  g_autoptr (KcAuditEntry) none = kc_audit_entry_new_from_json (empty);

  g_assert_cmpint (kc_audit_entry_get_seq (e), ==, 301);
  g_assert_cmpstr (kc_audit_entry_get_at (e), ==, "2026-03-04T08:00:00Z");
  g_assert_cmpstr (kc_audit_entry_get_username (e), ==, "admin");
  g_assert_cmpstr (kc_audit_entry_get_method (e), ==, "project.save");
  g_assert_cmpstr (kc_audit_entry_get_record_type (e), ==, "project");
  g_assert_cmpint (kc_audit_entry_get_record_id (e), ==, 7);
  g_assert_cmpstr (kc_audit_entry_get_record_name (e), ==, "KCĐP-2026-25-003");
  g_assert_cmpstr (kc_audit_entry_get_peer (e), ==, "local");
  /* absent or null: 0 and "" */
  g_assert_cmpint (kc_audit_entry_get_seq (none), ==, 0);
  g_assert_cmpint (kc_audit_entry_get_record_id (none), ==, 0);
  g_assert_cmpstr (kc_audit_entry_get_at (none), ==, "");
  g_assert_cmpstr (kc_audit_entry_get_username (none), ==, "");
  g_assert_cmpstr (kc_audit_entry_get_method (none), ==, "");
  g_assert_cmpstr (kc_audit_entry_get_record_type (none), ==, "");
  g_assert_cmpstr (kc_audit_entry_get_record_name (none), ==, "");
  g_assert_cmpstr (kc_audit_entry_get_peer (none), ==, "");
}

static void
test_org (void)
{
  g_autoptr (JsonObject) object
      = parse ("{\"id\": 25, \"code\": \"25.TTKC\", \"name\": \"Trung tâm Khuyến công Phú "
               "Thọ\", \"kind\": \"centre\", \"valid_from\": \"2025-07-01\", \"valid_to\": "
               "\"2030-01-01\"}");
  g_autoptr (JsonObject) empty = parse ("{\"valid_to\": null}");
  g_autoptr (KcOrg) o = kc_org_new_from_json (object);
  g_autoptr (KcOrg) none = kc_org_new_from_json (empty);
  g_autofree char *key = kc_collate_key ("Trung tâm Khuyến công Phú Thọ");
  g_autofree char *folded = kc_fold_for_search ("Trung tâm Khuyến công Phú Thọ");
  g_autofree char *search = g_strconcat (folded, " 25.TTKC", NULL);

  g_assert_cmpint (kc_org_get_id (o), ==, 25);
  g_assert_cmpstr (kc_org_get_code (o), ==, "25.TTKC");
  g_assert_cmpstr (kc_org_get_name (o), ==, "Trung tâm Khuyến công Phú Thọ");
  g_assert_cmpstr (kc_org_get_kind (o), ==, "centre");
  g_assert_cmpstr (kc_org_get_valid_from (o), ==, "2025-07-01");
  g_assert_cmpstr (kc_org_get_valid_to (o), ==, "2030-01-01");
  g_assert_false (kc_org_get_current (o));
  g_assert_cmpstr (kc_org_get_name_key (o), ==, key);
  g_assert_cmpstr (kc_org_get_search_text (o), ==, search);
  /* absent or null: 0 and "", current */
  g_assert_cmpint (kc_org_get_id (none), ==, 0);
  g_assert_cmpstr (kc_org_get_code (none), ==, "");
  g_assert_cmpstr (kc_org_get_name (none), ==, "");
  g_assert_cmpstr (kc_org_get_kind (none), ==, "");
  g_assert_cmpstr (kc_org_get_valid_from (none), ==, "");
  g_assert_cmpstr (kc_org_get_valid_to (none), ==, "");
  g_assert_true (kc_org_get_current (none));
}

static void
test_typical_product (void)
{
  g_autoptr (JsonObject) object
      = parse ("{\"id\": 4, \"version\": 2, \"certificate_no\": \"12/QĐ-UBND\", \"level\": "
               "\"province\", \"year\": 2025, \"product_name\": \"Chè Tân Cương\", "
               "\"establishment_name\": \"HTX Chè\", \"tax_code\": \"4600123456\", \"org_id\": 19, "
               "\"score\": 85, \"issued_on\": \"2025-05-20\", \"valid_until\": \"2027-12-31\", "
               "\"revoked\": false, \"valid_now\": true}");
  g_autoptr (JsonObject) empty = parse ("{\"score\": null, \"tax_code\": null}");
  g_autoptr (KcTypicalProduct) t = kc_typical_product_new_from_json (object);
  g_autoptr (KcTypicalProduct) none = kc_typical_product_new_from_json (empty);
  g_autofree char *search = kc_fold_for_search ("Chè Tân Cương HTX Chè 4600123456 12/QĐ-UBND");
  gint64 score = -1;

  g_assert_cmpint (kc_typical_product_get_id (t), ==, 4);
  g_assert_cmpint (kc_typical_product_get_version (t), ==, 2);
  g_assert_cmpstr (kc_typical_product_get_certificate_no (t), ==, "12/QĐ-UBND");
  g_assert_cmpstr (kc_typical_product_get_level (t), ==, "province");
  g_assert_cmpint (kc_typical_product_get_year (t), ==, 2025);
  g_assert_cmpstr (kc_typical_product_get_product_name (t), ==, "Chè Tân Cương");
  g_assert_cmpstr (kc_typical_product_get_establishment_name (t), ==, "HTX Chè");
  g_assert_cmpstr (kc_typical_product_get_tax_code (t), ==, "4600123456");
  g_assert_cmpint (kc_typical_product_get_org_id (t), ==, 19);
  g_assert_true (kc_typical_product_get_score (t, &score));
  g_assert_cmpint (score, ==, 85);
  g_assert_cmpstr (kc_typical_product_get_issued_on (t), ==, "2025-05-20");
  g_assert_cmpstr (kc_typical_product_get_valid_until (t), ==, "2027-12-31");
  g_assert_false (kc_typical_product_get_revoked (t));
  g_assert_true (kc_typical_product_get_valid_now (t));
  g_assert_cmpstr (kc_typical_product_get_search_text (t), ==, search);
  /* absent or null: 0, FALSE, "" and no score */
  score = -1;
  g_assert_cmpint (kc_typical_product_get_id (none), ==, 0);
  g_assert_cmpint (kc_typical_product_get_year (none), ==, 0);
  g_assert_cmpstr (kc_typical_product_get_certificate_no (none), ==, "");
  g_assert_cmpstr (kc_typical_product_get_level (none), ==, "");
  g_assert_cmpstr (kc_typical_product_get_tax_code (none), ==, "");
  g_assert_cmpstr (kc_typical_product_get_issued_on (none), ==, "");
  g_assert_false (kc_typical_product_get_score (none, &score));
  g_assert_cmpint (score, ==, -1);
  g_assert_false (kc_typical_product_get_revoked (none));
  g_assert_false (kc_typical_product_get_valid_now (none));
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
  g_assert_cmpfloat (kc_budget_row_get_management_pct (s), <, 0);
}

/* The management line: limit as appropriated, spent as paid; none without a share. */
static void
test_budget_management (void)
{
  g_autoptr (JsonObject) management
      = parse ("{\"pct\": 1.5, \"limit\": 150, \"spent\": 40, \"remaining\": 110}");
  g_autoptr (JsonObject) none = parse ("{\"pct\": null, \"limit\": 0}");
  g_autoptr (KcBudgetRow) m = kc_budget_row_new_management (management);
  gint64 value = -1;

  g_assert_nonnull (m);
  g_assert_cmpfloat (kc_budget_row_get_management_pct (m), ==, 1.5);
  g_assert_true (kc_budget_row_get_figure (m, KC_BUDGET_APPROPRIATED, &value));
  g_assert_cmpint (value, ==, 150);
  g_assert_true (kc_budget_row_get_figure (m, KC_BUDGET_PAID, &value));
  g_assert_cmpint (value, ==, 40);
  g_assert_true (kc_budget_row_get_figure (m, KC_BUDGET_REMAINING, &value));
  g_assert_cmpint (value, ==, 110);
  g_assert_false (kc_budget_row_get_figure (m, KC_BUDGET_ALLOCATED, &value));
  g_assert_null (kc_budget_row_get_source (m));
  g_assert_null (kc_budget_row_new_management (none));
  g_assert_null (kc_budget_row_new_management (NULL));
}

/* KcRecordList over a GListStore of plans: two columns and the signals. */

enum
{
  T_ID,
  T_TITLE,
  T_N_COLUMNS
};

static void
get_id (gpointer record, GValue *value, gpointer user_data)
{
  g_value_set_int64 (value, kc_plan_get_id (record) + GPOINTER_TO_INT (user_data));
}

static void
get_title (gpointer record, GValue *value, gpointer user_data)
{
  g_value_set_string (value, kc_plan_get_title (record));
}

static const KcRecordColumn test_columns[T_N_COLUMNS] = {
  [T_ID] = { G_TYPE_INT64, get_id },
  [T_TITLE] = { G_TYPE_STRING, get_title },
};

static KcPlan *
plan (gint64 id, const char *title)
{
  g_autofree char *text
      = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"title\": \"%s\"}", id, title);
  g_autoptr (JsonObject) object = parse (text);

  return kc_plan_new_from_json (object);
}

static void
append_plan (GListStore *store, gint64 id, const char *title)
{
  g_autoptr (KcPlan) p = plan (id, title);

  g_list_store_append (store, p);
}

/* What the model said, a letter and the row each: "i0 c1 d2". */
static void
note (GString *log, char what, GtkTreePath *path)
{
  g_string_append_printf (log, "%s%c%d", log->len > 0 ? " " : "", what,
                          gtk_tree_path_get_indices (path)[0]);
}

static void
changed_cb (GtkTreeModel *model, GtkTreePath *path, GtkTreeIter *iter, gpointer user_data)
{
  note (user_data, 'c', path);
}

static void
inserted_cb (GtkTreeModel *model, GtkTreePath *path, GtkTreeIter *iter, gpointer user_data)
{
  GString *log = user_data;
  g_autoptr (GtkTreePath) again = gtk_tree_model_get_path (model, iter);

  /* The new row is there when the signal says so. */
  g_assert_cmpint (gtk_tree_path_compare (path, again), ==, 0);
  note (log, 'i', path);
}

static void
deleted_cb (GtkTreeModel *model, GtkTreePath *path, gpointer user_data)
{
  note (user_data, 'd', path);
}

static char *
title_at (GtkTreeModel *model, int n)
{
  GtkTreeIter iter;
  char *title = NULL;

  if (gtk_tree_model_iter_nth_child (model, &iter, NULL, n))
    gtk_tree_model_get (model, &iter, T_TITLE, &title, -1);
  return title;
}

static void
test_record_list_values (void)
{
  g_autoptr (GListStore) store = g_list_store_new (KC_TYPE_PLAN);
  g_autoptr (KcRecordList) list = NULL;
  GtkTreeModel *model;
  GtkTreeIter iter;
  gint64 id = 0;
  g_autofree char *title = NULL;
  int n = 0;

  append_plan (store, 3, "Phú Thọ");
  list = kc_record_list_new (G_LIST_MODEL (store), test_columns, T_N_COLUMNS,
                             GINT_TO_POINTER (1000));
  model = GTK_TREE_MODEL (list);
  append_plan (store, 4, "Hà Giang");

  g_assert_cmpint (gtk_tree_model_get_flags (model), ==, GTK_TREE_MODEL_LIST_ONLY);
  g_assert_cmpint (gtk_tree_model_get_n_columns (model), ==, T_N_COLUMNS);
  g_assert_true (gtk_tree_model_get_column_type (model, T_ID) == G_TYPE_INT64);
  g_assert_true (gtk_tree_model_get_column_type (model, T_TITLE) == G_TYPE_STRING);
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 2);
  g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
  /* the getters' own data reaches them */
  gtk_tree_model_get (model, &iter, T_ID, &id, T_TITLE, &title, -1);
  g_assert_cmpint (id, ==, 1003);
  g_assert_cmpstr (title, ==, "Phú Thọ");
  g_assert_true (kc_plan_get_id (kc_record_list_get_record (model, &iter)) == 3);
  g_assert_false (gtk_tree_model_iter_has_child (model, &iter));
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, &iter), ==, 0);
  do
    n++;
  while (gtk_tree_model_iter_next (model, &iter));
  g_assert_cmpint (n, ==, 2);
  g_assert_false (gtk_tree_model_iter_nth_child (model, &iter, NULL, 2));
  g_assert_true (gtk_tree_model_iter_nth_child (model, &iter, NULL, 1));
  g_assert_true (gtk_tree_model_iter_previous (model, &iter));
  g_assert_false (gtk_tree_model_iter_previous (model, &iter));
  g_assert_true (G_LIST_MODEL (store) == kc_record_list_get_items (list));
}

static void
test_record_list_signals (void)
{
  g_autoptr (GListStore) store = g_list_store_new (KC_TYPE_PLAN);
  g_autoptr (KcRecordList) list
      = kc_record_list_new (G_LIST_MODEL (store), test_columns, T_N_COLUMNS, NULL);
  GtkTreeModel *model = GTK_TREE_MODEL (list);
  g_autoptr (GString) log = g_string_new (NULL);
  g_autoptr (KcPlan) a = plan (1, "A");
  g_autoptr (KcPlan) b = plan (2, "B");
  g_autoptr (KcPlan) c = plan (3, "C");
  gpointer two[] = { a, b };
  gpointer three[] = { c, b, a };
  GtkTreeIter first, before, after;
  g_autofree char *title = NULL;
  g_autofree char *changed = NULL;

  g_signal_connect (model, "row-inserted", G_CALLBACK (inserted_cb), log);
  g_signal_connect (model, "row-deleted", G_CALLBACK (deleted_cb), log);
  g_signal_connect (model, "row-changed", G_CALLBACK (changed_cb), log);

  g_list_store_append (store, a);
  g_list_store_append (store, b);
  g_assert_cmpstr (log->str, ==, "i0 i1");
  g_assert_true (gtk_tree_model_get_iter_first (model, &first));

  /* a record put in place of another: the row stays and changes, and an
   * iter taken before still reads it */
  g_string_truncate (log, 0);
  g_list_store_splice (store, 0, 1, (gpointer *)&c, 1);
  g_assert_cmpstr (log->str, ==, "c0");
  gtk_tree_model_get (model, &first, T_TITLE, &changed, -1);
  g_assert_cmpstr (changed, ==, "C");

  /* a row inserted or deleted ends the iters taken before */
  g_string_truncate (log, 0);
  g_assert_true (gtk_tree_model_get_iter_first (model, &before));
  g_list_store_insert (store, 1, a);
  g_assert_cmpstr (log->str, ==, "i1");
  g_assert_true (gtk_tree_model_get_iter_first (model, &after));
  g_assert_cmpint (before.stamp, !=, after.stamp);
  title = title_at (model, 1);
  g_assert_cmpstr (title, ==, "A");

  g_string_truncate (log, 0);
  g_list_store_remove (store, 0);
  g_assert_cmpstr (log->str, ==, "d0");
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 2);

  /* three in place of two: two rows change, one is added; then back */
  g_string_truncate (log, 0);
  g_list_store_splice (store, 0, 2, three, 3);
  g_assert_cmpstr (log->str, ==, "c0 c1 i2");
  g_string_truncate (log, 0);
  g_list_store_splice (store, 0, 3, two, 2);
  g_assert_cmpstr (log->str, ==, "c0 c1 d2");
  g_string_truncate (log, 0);
  g_list_store_remove_all (store);
  /* from the last: nothing after a deleted row moves */
  g_assert_cmpstr (log->str, ==, "d1 d0");
  g_assert_false (gtk_tree_model_get_iter_first (model, &first));
}

static void
reordered_cb (GtkTreeModel *model, GtkTreePath *path, GtkTreeIter *iter, gpointer new_order,
              gpointer user_data)
{
  GString *log = user_data;
  int n = gtk_tree_model_iter_n_children (model, NULL);

  g_string_append_printf (log, "%sr", log->len > 0 ? " " : "");
  for (int i = 0; i < n; i++)
    g_string_append_printf (log, "%d", ((int *)new_order)[i]);
}

static int
larger_id_first (GtkTreeModel *model, GtkTreeIter *a, GtkTreeIter *b, gpointer user_data)
{
  gint64 ia = kc_plan_get_id (kc_record_list_get_record (model, a));
  gint64 ib = kc_plan_get_id (kc_record_list_get_record (model, b));

  return (ia < ib) - (ia > ib);
}

/* The list sorts itself: by a column, back to the list's order, a record
 * added or replaced to its place; records and paths through the sort. */
static void
test_record_list_sorted (void)
{
  g_autoptr (GListStore) store = g_list_store_new (KC_TYPE_PLAN);
  g_autoptr (KcRecordList) list
      = kc_record_list_new (G_LIST_MODEL (store), test_columns, T_N_COLUMNS, NULL);
  GtkTreeModel *model = GTK_TREE_MODEL (list);
  GtkTreeSortable *sortable = GTK_TREE_SORTABLE (list);
  g_autoptr (GString) log = g_string_new (NULL);
  g_autoptr (GtkTreePath) path = NULL;
  g_autoptr (KcPlan) d = plan (4, "D");
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *now_first = NULL;
  g_autofree char *back = NULL;
  int column = 0;
  GtkSortType order = GTK_SORT_ASCENDING;
  GtkTreeIter iter;

  append_plan (store, 2, "B");
  append_plan (store, 3, "C");
  g_signal_connect (model, "rows-reordered", G_CALLBACK (reordered_cb), log);
  g_signal_connect (model, "row-inserted", G_CALLBACK (inserted_cb), log);
  g_assert_false (gtk_tree_sortable_get_sort_column_id (sortable, &column, &order));
  gtk_tree_sortable_set_sort_column_id (sortable, T_TITLE, GTK_SORT_DESCENDING);
  g_assert_true (gtk_tree_sortable_get_sort_column_id (sortable, &column, &order));
  g_assert_cmpint (column, ==, T_TITLE);
  g_assert_cmpint (order, ==, GTK_SORT_DESCENDING);
  /* C was row 1, B row 0 */
  g_assert_cmpstr (log->str, ==, "r10");
  g_string_truncate (log, 0);
  append_plan (store, 1, "A");
  g_assert_cmpstr (log->str, ==, "i2");
  first = title_at (model, 0);
  last = title_at (model, 2);
  g_assert_cmpstr (first, ==, "C");
  g_assert_cmpstr (last, ==, "A");
  /* the record at position 0 of the list (B) is row 1 of the view */
  path = kc_record_list_path_of (model, 0);
  g_assert_cmpint (gtk_tree_path_get_indices (path)[0], ==, 1);
  g_assert_true (gtk_tree_model_get_iter (model, &iter, path));
  g_assert_cmpint (kc_plan_get_id (kc_record_list_get_record (model, &iter)), ==, 2);
  g_assert_null (kc_record_list_path_of (model, 3));
  /* a record replaced moves to its place: A (row 2) becomes D, first */
  g_string_truncate (log, 0);
  g_list_store_splice (store, 2, 1, (gpointer *)&d, 1);
  g_assert_cmpstr (log->str, ==, "r201");
  now_first = title_at (model, 0);
  g_assert_cmpstr (now_first, ==, "D");
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 3);
  /* a row deleted from the middle of the list: the others keep their records */
  g_list_store_remove (store, 0);
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 2);
  g_free (first);
  first = title_at (model, 1);
  g_assert_cmpstr (first, ==, "C");
  /* by a number, then by a sort func of the column's own, then the list's order again */
  gtk_tree_sortable_set_sort_column_id (sortable, T_ID, GTK_SORT_ASCENDING);
  back = title_at (model, 0);
  g_assert_cmpstr (back, ==, "C");
  gtk_tree_sortable_set_sort_func (sortable, T_ID, larger_id_first, NULL, NULL);
  g_free (back);
  back = title_at (model, 0);
  g_assert_cmpstr (back, ==, "D");
  g_string_truncate (log, 0);
  gtk_tree_sortable_set_sort_column_id (sortable, GTK_TREE_SORTABLE_UNSORTED_SORT_COLUMN_ID,
                                        GTK_SORT_ASCENDING);
  g_assert_cmpstr (log->str, ==, "r10");
  g_free (back);
  back = title_at (model, 1);
  g_assert_cmpstr (back, ==, "D");
  /* several records replaced at once while sorted: all in their places */
  gtk_tree_sortable_set_sort_column_id (sortable, T_TITLE, GTK_SORT_ASCENDING);
  {
    g_autoptr (KcPlan) z = plan (9, "Z");
    g_autoptr (KcPlan) a = plan (8, "A");
    gpointer both[] = { z, a };
    g_autofree char *top = NULL;
    g_autofree char *bottom = NULL;

    g_list_store_splice (store, 0, 2, both, 2);
    top = title_at (model, 0);
    bottom = title_at (model, 1);
    g_assert_cmpstr (top, ==, "A");
    g_assert_cmpstr (bottom, ==, "Z");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/project-summary", test_project_summary);
  g_test_add_func ("/model/plan", test_plan);
  g_test_add_func ("/model/review-item", test_review_item);
  g_test_add_func ("/model/account", test_account);
  g_test_add_func ("/model/request", test_request);
  g_test_add_func ("/model/audit-entry", test_audit_entry);
  g_test_add_func ("/model/org", test_org);
  g_test_add_func ("/model/typical-product", test_typical_product);
  g_test_add_func ("/model/budget-row", test_budget_row);
  g_test_add_func ("/model/budget-management", test_budget_management);
  g_test_add_func ("/model/record-list/values", test_record_list_values);
  g_test_add_func ("/model/record-list/signals", test_record_list_signals);
  g_test_add_func ("/model/record-list/sorted", test_record_list_sorted);
  return g_test_run ();
}
