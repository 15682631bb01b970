/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-errors.c — kc-errors: the client's Vietnamese for the server's error
 * codes, 1022 rules and -32602 fields, read through the built catalogue
 * (po/vi.po), and the server's words kept for what it does not know.
 */
#include <glib.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "kc-error.h"
#include "kc-errors.h"
#include "kc-session.h"

/* kc-session.c is not linked in: its error domain is defined here. */
G_DEFINE_QUARK (kc - session - error, kc_session_error)

static JsonNode *
parse (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static char *
describe (int code, const char *message, const char *data)
{
  g_autoptr (GError) error = g_error_new_literal (KC_PROTOCOL_ERROR, code, message);
  g_autoptr (JsonNode) node = data != NULL ? parse (data) : NULL;

  return kc_errors_describe (error, node);
}

static void
test_codes (void)
{
  struct
  {
    int code;
    const char *text;
  } cases[] = {
    { KC_ERROR_FORBIDDEN, "Vai trò của bạn không được làm việc này." },
    { KC_ERROR_NOT_FOUND, "Bản ghi này không tồn tại hoặc nằm ngoài phạm vi của bạn." },
    { KC_ERROR_BAD_STATUS, "Không được làm việc này ở trạng thái hiện tại của bản ghi." },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = describe (cases[i].code, "forbidden for this role", NULL);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_unknown_code (void)
{
  g_autofree char *text = describe (1077, "something new went wrong", NULL);

  /* Not ours to word: the server's text, inside our sentence. */
  g_assert_cmpstr (text, ==, "Máy chủ từ chối yêu cầu: something new went wrong");
}

static void
test_violations (void)
{
  g_autofree char *text
      = describe (KC_ERROR_RULE, "a business rule refused it",
                  "{\"violations\": ["
                  "{\"field\": \"budget_lines[0].amount\", \"rule\": \"cap\", \"message\": "
                  "\"above the cap of C02\"},"
                  "{\"field\": \"end_date\", \"rule\": \"order\", \"message\": \"before start\"},"
                  "{\"field\": \"widgets\", \"rule\": \"brand_new\", \"message\": \"too blue\"}]}");

  g_assert_cmpstr (text, ==,
                   "Quy định không cho phép việc này:\n"
                   "• Số tiền: Vượt mức hỗ trợ tối đa\n"
                   "• Ngày kết thúc: Các ngày không đúng thứ tự\n"
                   "• widgets: too blue (lời của máy chủ)");
}

static void
test_fields (void)
{
  g_autofree char *text
      = describe (KC_ERROR_INVALID_PARAMS, "invalid params",
                  "{\"fields\": ["
                  "{\"field\": \"title\", \"message\": \"is required\"},"
                  "{\"field\": \"start_date\", \"message\": \"must be a date as YYYY-MM-DD\"},"
                  "{\"field\": \"title\", \"message\": \"must have at most 500 characters\"},"
                  "{\"field\": \"scope\", \"message\": \"must be one of: national, local\"},"
                  "{\"field\": \"year\", \"message\": \"must be prime\"}]}");

  g_assert_cmpstr (text, ==,
                   "Một số giá trị không được chấp nhận:\n"
                   "• Tên: bắt buộc phải có\n"
                   "• Ngày bắt đầu: phải là một ngày (dd/mm/yyyy)\n"
                   "• Tên: quá dài\n"
                   "• scope: phải là một trong: national, local\n"
                   "• Năm: must be prime (lời của máy chủ)");
}

static void
test_no_items (void)
{
  g_autofree char *text = describe (KC_ERROR_RULE, "over appropriation", "{}");

  g_assert_cmpstr (text, ==, "Quy định không cho phép việc này:\n• over appropriation");
}

static void
test_session (void)
{
  g_autoptr (GError) error
      = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_UNREACHABLE, "connection refused");
  g_autofree char *text = kc_errors_describe (error, NULL);

  g_assert_true (g_str_has_prefix (text, "Không kết nối được tới máy chủ"));
}

/* Rules with their data: the figures in our sentence, no English. */
static void
test_rule_data (void)
{
  g_autofree char *advance
      = describe (KC_ERROR_RULE, "advances are at most 70 % of the contract until acceptance",
                  "{\"violations\": [{\"field\": \"amount\", \"rule\": \"max_before_acceptance\", "
                  "\"message\": \"advances are at most 70 % of the contract until acceptance\", "
                  "\"data\": {\"pct\": 70, \"contract\": 280000000, \"limit\": 196000000, "
                  "\"advanced\": 0, \"max\": 196000000, \"amount\": 250000000}}]}");
  g_autofree char *password
      = describe (KC_ERROR_INVALID_PARAMS, "invalid params",
                  "{\"fields\": [{\"field\": \"new_password\", \"message\": \"password must "
                  "have at least 12 characters\", \"rule\": \"password_min_length\", "
                  "\"data\": {\"min\": 12, \"length\": 5}}]}");
  g_autofree char *caps = describe (
      KC_ERROR_RULE, "the content ND45.4.3 has several caps",
      "{\"violations\": [{\"field\": \"cap_code\", \"rule\": \"required\", \"message\": "
      "\"the content ND45.4.3 has several caps in force\", \"data\": {\"content\": "
      "\"ND45.4.3\", \"on\": \"2026-01-01\", \"caps\": [{\"cap_code\": \"C03\", "
      "\"pct_cap\": 50, \"abs_cap_vnd\": 300000000, \"legal_act\": \"TT 28/2018\"}, "
      "{\"cap_code\": \"C04\", \"pct_cap\": 30, \"abs_cap_vnd\": null}]}}]}");
  g_autofree char *old_password
      = describe (KC_ERROR_INVALID_PARAMS, "invalid params",
                  "{\"fields\": [{\"field\": \"password\", \"message\": \"password is too "
                  "common\", \"rule\": \"password_common\"}]}");

  g_assert_cmpstr (advance, ==,
                   "Quy định không cho phép việc này:\n"
                   "• Số tiền: Trước nghiệm thu, tổng tạm ứng tối đa 196.000.000 ₫ = 70 % giá trị "
                   "hợp đồng; đã tạm ứng 0 ₫, nên lần này tối đa 196.000.000 ₫.");
  g_assert_cmpstr (password, ==,
                   "Một số giá trị không được chấp nhận:\n"
                   "• Mật khẩu mới: Mật khẩu phải có ít nhất 12 ký tự (hiện có 5).");
  g_assert_cmpstr (caps, ==,
                   "Quy định không cho phép việc này:\n"
                   "• Mã mức hỗ trợ: Nội dung ND45.4.3 có nhiều mức hỗ trợ hiệu lực ngày "
                   "01/01/2026: hãy chọn một mức (C03: 50 % chi phí, tối đa 300.000.000 ₫ "
                   "(TT 28/2018); C04: 30 % chi phí).");
  g_assert_cmpstr (old_password, ==,
                   "Một số giá trị không được chấp nhận:\n"
                   "• Mật khẩu: Mật khẩu quá phổ biến: có trong danh sách mật khẩu bị lộ");
}

/* The money rules of sql/0039 and sql/0040, in words with their figures. */
static void
test_money_rules (void)
{
  g_autofree char *management = describe (
      KC_ERROR_RULE, "the agency's management spending would be above 1.5 %",
      "{\"violations\": [{\"field\": \"amount\", \"rule\": \"management_limit\", "
      "\"message\": \"above 1.5 %\", \"data\": {\"limit\": 15000000, \"spent\": 12000000, "
      "\"max\": 3000000, \"pct\": 1.5, \"appropriation\": 1000000000, \"amount\": 4000000}}]}");
  g_autofree char *floor = describe (
      KC_ERROR_RULE, "12000000 đồng of management spending are recorded",
      "{\"violations\": [{\"field\": \"amount\", \"rule\": \"management_spent\", "
      "\"message\": \"at least 800000000\", \"data\": {\"spent\": 12000000, \"pct\": 1.5, "
      "\"min_amount\": 800000000, \"amount\": 500000000}}]}");
  g_autofree char *progress = describe (
      KC_ERROR_RULE, "the first advance needs a confirmed progress report above 70 %",
      "{\"violations\": [{\"field\": \"project_id\", \"rule\": \"first_advance_progress\", "
      "\"message\": \"above 70 %\", \"data\": {\"min_progress_pct\": 70, "
      "\"confirmed_pct\": 60}}]}");
  g_autofree char *none = describe (
      KC_ERROR_RULE, "the first advance needs a confirmed progress report above 50 %",
      "{\"violations\": [{\"field\": \"project_id\", \"rule\": \"first_advance_progress\", "
      "\"message\": \"above 50 %\", \"data\": {\"min_progress_pct\": 50, "
      "\"confirmed_pct\": null}}]}");

  g_assert_cmpstr (
      management, ==,
      "Quy định không cho phép việc này:\n"
      "• Số tiền: Chi quản lý chương trình của cơ quan quản lý tối đa 15.000.000\u00a0₫ "
      "= 1,5 % dự toán năm; đã chi 12.000.000\u00a0₫, nên khoản này tối đa "
      "3.000.000\u00a0₫.");
  g_assert_cmpstr (floor, ==,
                   "Quy định không cho phép việc này:\n"
                   "• Số tiền: Đã ghi nhận 12.000.000\u00a0₫ chi quản lý chương trình trên dự toán "
                   "này, khoản chi tối đa 1,5 % dự toán: dự toán phải ít nhất 800.000.000\u00a0₫.");
  g_assert_cmpstr (progress, ==,
                   "Quy định không cho phép việc này:\n"
                   "• Đề án: Tạm ứng lần một của đề án này cần báo cáo tiến độ được Sở Công Thương "
                   "xác nhận cho thấy đã thực hiện trên 70 % khối lượng; báo cáo được xác nhận gần "
                   "nhất mới đạt 60 %.");
  g_assert_cmpstr (none, ==,
                   "Quy định không cho phép việc này:\n"
                   "• Đề án: Tạm ứng lần một của đề án này cần báo cáo tiến độ được Sở Công Thương "
                   "xác nhận cho thấy đã thực hiện trên 50 % khối lượng; chưa có báo cáo nào được "
                   "xác nhận.");
}

static void
test_lookups (void)
{
  g_assert_cmpstr (kc_errors_field_label ("projects[KC-1].budget_lines[2].source"), ==,
                   "Nguồn vốn");
  g_assert_null (kc_errors_field_label ("no_such_field"));
  g_assert_null (kc_errors_field_label (NULL));
  g_assert_null (kc_errors_rule_text ("no_such_rule"));
  g_assert_null (kc_errors_param_text ("must be prime"));
}

int
main (int argc, char *argv[])
{
  /* As kc-client does: Vietnamese through LANGUAGE under C.UTF-8. */
  g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, KC_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/errors/codes", test_codes);
  g_test_add_func ("/errors/unknown-code", test_unknown_code);
  g_test_add_func ("/errors/violations", test_violations);
  g_test_add_func ("/errors/fields", test_fields);
  g_test_add_func ("/errors/no-items", test_no_items);
  g_test_add_func ("/errors/session", test_session);
  g_test_add_func ("/errors/lookups", test_lookups);
  g_test_add_func ("/errors/rule-data", test_rule_data);
  g_test_add_func ("/errors/money-rules", test_money_rules);
  return g_test_run ();
}
