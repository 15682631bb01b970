/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-errors.c — the client's own words for the server's error codes, rules
 * and fields.
 */
#include "kc-errors.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kc-date.h"
#include "kc-error.h"
#include "kc-money.h"
#include "kc-session.h"

typedef struct
{
  const char *code;
  const char *text;
} Words;

/* The parameters people meet in the forms, named as the forms name them. */
static const Words fields[] = {
  { "title", N_ ("Title") },
  { "content_category", N_ ("Main content") },
  { "content_categories", N_ ("Contents") },
  { "kind", N_ ("Kind") },
  { "sector", N_ ("Sector") },
  { "priority_area", N_ ("Priority area") },
  { "implementer", N_ ("Implementer") },
  { "start_date", N_ ("Start date") },
  { "end_date", N_ ("End date") },
  { "procurement", N_ ("Procurement") },
  { "cap_code", N_ ("Support cap code") },
  { "total_cost", N_ ("Total cost") },
  { "budget_lines", N_ ("Budget lines") },
  { "indicators", N_ ("Indicators") },
  { "beneficiaries", N_ ("Beneficiaries") },
  { "no_double_funding", N_ ("The declaration") },
  { "amount", N_ ("Amount") },
  { "amounts", N_ ("Amounts") },
  { "source", N_ ("Funding source") },
  { "target", N_ ("Target") },
  { "name", N_ ("Name") },
  { "code", N_ ("Code") },
  { "year", N_ ("Year") },
  { "from_year", N_ ("From year") },
  { "to_year", N_ ("To year") },
  { "period", N_ ("Period") },
  { "org_id", N_ ("Organisation") },
  { "plan_id", N_ ("Plan") },
  { "project_id", N_ ("Project") },
  { "programme_id", N_ ("Programme") },
  { "username", N_ ("Username") },
  { "password", N_ ("Password") },
  { "new_password", N_ ("New password") },
  { "full_name", N_ ("Full name") },
  { "email", N_ ("Email") },
  { "role", N_ ("Role") },
  { "note", N_ ("Note") },
  { "comment", N_ ("Comment") },
  { "reason", N_ ("Reason") },
  { "decision_no", N_ ("Decision number") },
  { "decision_date", N_ ("Decision date") },
  { "document_no", N_ ("Document number") },
  { "voucher_no", N_ ("Voucher number") },
  { "purpose", N_ ("Purpose") },
  { "spent_on", N_ ("Date spent") },
  { "signed_on", N_ ("Signing date") },
  { "settled_on", N_ ("Settlement date") },
  { "valid_from", N_ ("Valid from") },
  { "valid_to", N_ ("Valid to") },
  { "file", N_ ("File") },
};

/* 1022 rules (sql/ migrations, kc_rule_violation and rule_err). */
static const Words rules[] = {
  { "cap", N_ ("Above the support cap") },
  { "counterpart", N_ ("Counterpart funds must cover the rest of the cost") },
  { "total", N_ ("The budget lines exceed the total cost") },
  { "order", N_ ("The dates are in the wrong order") },
  { "plan_year", N_ ("The dates do not fit the plan year") },
  { "min_years", N_ ("The project is too short for its kind") },
  { "max_years", N_ ("The project is too long for its kind") },
  { "required", N_ ("Required") },
  { "min_contents", N_ ("Not enough contents for this kind of project") },
  { "min_beneficiaries", N_ ("At least one beneficiary is needed") },
  { "declaration", N_ ("The declaration is required") },
  { "exists", N_ ("Unknown code") },
  { "unique", N_ ("Given twice") },
  { "not_empty", N_ ("The plan has no draft project") },
  { "appropriation", N_ ("More than the appropriation") },
  { "allocation", N_ ("More than the allocation") },
  { "allocated", N_ ("More than what was allocated") },
  { "acceptance", N_ ("The project has not been accepted yet") },
  { "contract", N_ ("The project has no contract yet") },
  { "size", N_ ("The file is too large") },
  { "checksum", N_ ("The file arrived damaged; send it again") },
  { "format", N_ ("The file's format is not accepted") },
  { "year", N_ ("The year does not fit") },
  { "in_plan", N_ ("The project is not in this plan") },
  { "unspent", N_ ("More than what is left unspent") },
  { "paid", N_ ("More than what was paid") },
  { "carry_over", N_ ("This cannot be carried over") },
  { "open", N_ ("The period has not ended yet") },
  { "future", N_ ("The date is in the future") },
  { "validity", N_ ("Outside the period of validity") },
  { "pending", N_ ("A request is already waiting for a decision") },
  { "same_org", N_ ("Must be of the same organisation") },
  { "role_org",
    N_ ("This role does not belong in this organisation: province roles in a "
        "province's units, the Ministry's roles and the administrator in the Ministry") },
  { "same_scope", N_ ("Must be of the same scope") },
  { "national", N_ ("A national programme belongs to no province") },
  { "first_advance", N_ ("The first advance is above its share of the contract") },
  { "first_advance_after_acceptance", N_ ("The first advance cannot come after acceptance") },
  { "first_advance_progress", N_ ("The first advance needs the progress report first") },
  { "appropriation_missing", N_ ("No appropriation of the year is set yet") },
  { "management_limit", N_ ("Above the share of the funds for programme management") },
  { "management_spent", N_ ("Less than the programme management spending already recorded needs") },
  { "progress_confirmed", N_ ("The progress report has not been confirmed yet") },
  { "work_done", N_ ("More than the work done allows") },
  { "refund", N_ ("More than what was paid") },
  { "local_caps_missing", N_ ("The province has not entered its own support caps") },
  { "password_min_length", N_ ("The password is too short") },
  { "password_max_length", N_ ("The password is too long") },
  { "password_common", N_ ("The password is too common: it is on the list of leaked passwords") },
  { "password_username", N_ ("The password must not be the username") },
  { "password_encoding", N_ ("The password contains characters that cannot be read") },
  { "max_before_acceptance", N_ ("More than may be paid before acceptance") },
  { "priority_uplift", N_ ("The priority uplift does not apply") },
};

static const char *
lookup (const Words *words, gsize n, const char *code)
{
  for (gsize i = 0; code != NULL && i < n; i++)
    if (g_str_equal (words[i].code, code))
      return _ (words[i].text);
  return NULL;
}

const char *
kc_errors_field_label (const char *field)
{
  g_autofree char *last = NULL;
  const char *dot, *bracket;

  if (field == NULL || *field == '\0')
    return NULL;
  /* "projects[KC-1].budget_lines[2].amount" names its amount. */
  dot = strrchr (field, '.');
  last = g_strdup (dot != NULL ? dot + 1 : field);
  bracket = strchr (last, '[');
  if (bracket != NULL)
    last[bracket - last] = '\0';
  return lookup (fields, G_N_ELEMENTS (fields), last);
}

const char *
kc_errors_rule_text (const char *rule)
{
  return lookup (rules, G_N_ELEMENTS (rules), rule);
}

char *
kc_errors_param_text (const char *message)
{
  /* The server's words (server/srv-call.c and the handlers): exact ones,
   * then beginnings whose rest is the server's detail. */
  static const Words exact[] = {
    { "is required", N_ ("is required") },
    { "is not a parameter of this method", N_ ("is not accepted here") },
    { "must be an integer", N_ ("must be a whole number") },
    { "must be a number", N_ ("must be a number") },
    { "must be a string", N_ ("must be text") },
    { "must be true or false", N_ ("must be yes or no") },
    { "must not contain control characters", N_ ("must not contain control characters") },
    { "must be one line without control characters", N_ ("must be one line of text") },
    { "is out of range", N_ ("is out of range") },
    { "must be a list", N_ ("must be a list") },
    { "must be a non-empty list", N_ ("must list at least one item") },
    { "must be an object", N_ ("is not in the expected form") },
    { "must not be null", N_ ("must not be empty") },
    { "must not be before from_year", N_ ("must not be before the first year") },
    { "is not the current password", N_ ("is not the current password") },
    { "is not a cursor this server gave", N_ ("is out of date; reload the list") },
    { "must have at most two decimals", N_ ("may have at most two decimals") },
  };
  static const Words prefixes[] = {
    { "must be a date", N_ ("must be a date (dd/mm/yyyy)") },
    { "must be a month", N_ ("must be a month (mm/yyyy)") },
    { "must be an amount", N_ ("must be an amount in đồng") },
    { "must have at most", N_ ("is too long") },
    { "must be between", N_ ("is out of range") },
    { "must be at most", N_ ("is too large") },
    { "is required when", N_ ("is required here") },
  };

  if (message == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (exact); i++)
    if (g_str_equal (message, exact[i].code))
      return g_strdup (_ (exact[i].text));
  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (message, prefixes[i].code))
      return g_strdup (_ (prefixes[i].text));
  /* "must be one of: a, b": the choices are codes, kept as they are. */
  if (g_str_has_prefix (message, "must be one of: "))
    /* TRANSLATORS: %s is a list of codes */
    return g_strdup_printf (_ ("must be one of: %s"), message + strlen ("must be one of: "));
  if (g_regex_match_simple ("^must have [0-9]+ to [0-9]+ characters$", message, 0, 0))
    return g_strdup (_ ("has the wrong length"));
  return NULL;
}

static gboolean
has_int (JsonObject *data, const char *member)
{
  JsonNode *node = data != NULL ? json_object_get_member (data, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && (json_node_get_value_type (node) == G_TYPE_INT64
             || json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gint64
int_of (JsonObject *data, const char *member)
{
  JsonNode *node = data != NULL ? json_object_get_member (data, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64)json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return 0;
}

static char *
money_of (JsonObject *data, const char *member)
{
  return kc_money_format (int_of (data, member));
}

static char *
pct_text (JsonObject *data, const char *member)
{
  JsonNode *node = data != NULL ? json_object_get_member (data, member) : NULL;
  double value = 0;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *comma;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    value = json_node_get_value_type (node) == G_TYPE_DOUBLE ? json_node_get_double (node)
                                                             : (double)json_node_get_int (node);
  g_ascii_formatd (buf, sizeof buf, "%.2f", value);
  /* "50", "37,5" */
  comma = strchr (buf, '.');
  if (comma != NULL)
    {
      char *end = buf + strlen (buf);

      while (end > comma + 1 && end[-1] == '0')
        *--end = '\0';
      if (end == comma + 1)
        *comma = '\0';
      else
        *comma = ',';
    }
  return g_strdup_printf ("%s %%", buf);
}

/* "C02: 50 %, at most 300.000.000 ₫ (NĐ 45/2012)" */
static char *
cap_choice_text (JsonObject *cap)
{
  GString *out = g_string_new (json_object_get_string_member_with_default (cap, "cap_code", ""));
  const char *act = json_object_get_string_member_with_default (cap, "legal_act", NULL);
  gboolean first = TRUE;

  g_string_append (out, ": ");
  if (has_int (cap, "pct_cap"))
    {
      g_autofree char *pct = pct_text (cap, "pct_cap");

      /* TRANSLATORS: a support cap's share of the eligible cost */
      g_string_append_printf (out, _ ("%s of the cost"), pct);
      first = FALSE;
    }
  if (has_int (cap, "abs_cap_vnd"))
    {
      g_autofree char *amount = money_of (cap, "abs_cap_vnd");

      if (!first)
        g_string_append (out, ", ");
      /* TRANSLATORS: a support cap's amount */
      g_string_append_printf (out, _ ("at most %s"), amount);
    }
  if (act != NULL)
    g_string_append_printf (out, " (%s)", act);
  return g_string_free (out, FALSE);
}

char *
kc_errors_rule_sentence (const char *rule, JsonObject *data)
{
  if (rule == NULL || data == NULL)
    return NULL;
  if (g_str_equal (rule, "password_min_length") && has_int (data, "min"))
    return g_strdup_printf (_ ("The password must have at least %d characters (it has %d)."),
                            (int)int_of (data, "min"), (int)int_of (data, "length"));
  if (g_str_equal (rule, "password_max_length") && has_int (data, "max"))
    return g_strdup_printf (_ ("The password may have at most %d characters (it has %d)."),
                            (int)int_of (data, "max"), (int)int_of (data, "length"));
  if (g_str_equal (rule, "first_advance") && has_int (data, "pct") && has_int (data, "contract"))
    {
      g_autofree char *max = money_of (data, "max");
      g_autofree char *contract = money_of (data, "contract");
      g_autofree char *pct = pct_text (data, "pct");

      /* TRANSLATORS: the most of a first advance: amount, percent, contract amount */
      return g_strdup_printf (_ ("The first advance may be at most %s = %s of the contract (%s)."),
                              max, pct, contract);
    }
  if (g_str_equal (rule, "max_before_acceptance") && has_int (data, "pct")
      && has_int (data, "contract"))
    {
      g_autofree char *max = money_of (data, "max");
      g_autofree char *limit = money_of (data, "limit");
      g_autofree char *advanced = money_of (data, "advanced");
      g_autofree char *pct = pct_text (data, "pct");

      return g_strdup_printf (_ ("Before acceptance, advances may total at most %s = %s of the "
                                 "contract; %s is advanced already, so this advance may be at "
                                 "most %s."),
                              limit, pct, advanced, max);
    }
  if (g_str_equal (rule, "management_limit") && has_int (data, "limit") && has_int (data, "spent"))
    {
      g_autofree char *limit = money_of (data, "limit");
      g_autofree char *spent = money_of (data, "spent");
      g_autofree char *max = money_of (data, "max");
      g_autofree char *pct = pct_text (data, "pct");

      /* TRANSLATORS: C23: the limit, its share, what was spent, the most now */
      return g_strdup_printf (_ ("The agency's programme management spending may total at most "
                                 "%s = %s of the year's appropriation; %s is spent already, so "
                                 "this may be at most %s."),
                              limit, pct, spent, max);
    }
  if (g_str_equal (rule, "management_spent") && has_int (data, "spent")
      && has_int (data, "min_amount"))
    {
      g_autofree char *spent = money_of (data, "spent");
      g_autofree char *min = money_of (data, "min_amount");
      g_autofree char *pct = pct_text (data, "pct");

      /* TRANSLATORS: C23: what was spent, its share, the least appropriation */
      return g_strdup_printf (_ ("%s of programme management spending is recorded against this "
                                 "appropriation, which may be at most %s of it: the appropriation "
                                 "must be at least %s."),
                              spent, pct, min);
    }
  if (g_str_equal (rule, "first_advance_progress") && has_int (data, "min_progress_pct"))
    {
      g_autofree char *required = pct_text (data, "min_progress_pct");
      g_autofree char *confirmed
          = has_int (data, "confirmed_pct") ? pct_text (data, "confirmed_pct") : NULL;

      if (confirmed == NULL)
        /* TRANSLATORS: the share of the work that must be done (70 %) */
        return g_strdup_printf (_ ("The first advance of this project needs a progress report "
                                   "confirmed by the Department showing more than %s of the work "
                                   "done; no report is confirmed yet."),
                                required);
      /* TRANSLATORS: the share required, the share the latest confirmed report shows */
      return g_strdup_printf (_ ("The first advance of this project needs a progress report "
                                 "confirmed by the Department showing more than %s of the work "
                                 "done; the latest confirmed report shows %s."),
                              required, confirmed);
    }
  if (g_str_equal (rule, "allocation") && has_int (data, "limit") && has_int (data, "paid"))
    {
      g_autofree char *limit = money_of (data, "limit");
      g_autofree char *paid = money_of (data, "paid");
      g_autofree char *max = money_of (data, "max");

      return g_strdup_printf (_ ("Payments may not exceed the contract and the allocation (%s); "
                                 "%s is paid already, so this payment may be at most %s."),
                              limit, paid, max);
    }
  if (g_str_equal (rule, "cap") && has_int (data, "limit"))
    {
      g_autofree char *amount = money_of (data, "amount");
      g_autofree char *limit = money_of (data, "limit");
      const char *code = json_object_get_string_member_with_default (data, "cap_code", "");
      const char *act = json_object_get_string_member_with_default (data, "legal_act", "");

      /* TRANSLATORS: support asked, the cap's code and act, the most allowed */
      return g_strdup_printf (_ ("The support of %s is above the cap %s (%s): at most %s."), amount,
                              code, act, limit);
    }
  if (g_str_equal (rule, "required") && json_object_has_member (data, "caps"))
    {
      JsonArray *caps = json_object_get_array_member (data, "caps");
      GString *list = g_string_new (NULL);
      g_autofree char *listed = NULL;
      GDate on;
      g_autofree char *day = NULL;
      const char *content = json_object_get_string_member_with_default (data, "content", "");

      if (kc_date_parse_iso (json_object_get_string_member_with_default (data, "on", ""), &on))
        day = kc_date_format_vn (&on);
      for (guint i = 0; caps != NULL && i < json_array_get_length (caps); i++)
        {
          JsonNode *element = json_array_get_element (caps, i);
          g_autofree char *one = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          one = cap_choice_text (json_node_get_object (element));
          g_string_append_printf (list, "%s%s", list->len > 0 ? "; " : "", one);
        }
      listed = g_string_free (list, FALSE);
      /* TRANSLATORS: content code, day, the caps to choose from */
      return g_strdup_printf (_ ("The content %s has several support caps in force on %s: choose "
                                 "one (%s)."),
                              content, day != NULL ? day : "", listed);
    }
  if (g_str_equal (rule, "counterpart") && has_int (data, "missing"))
    {
      g_autofree char *lines = money_of (data, "lines");
      g_autofree char *total = money_of (data, "total_cost");
      g_autofree char *missing = money_of (data, "missing");

      return g_strdup_printf (_ ("The budget lines cover %s of the total cost %s: %s of "
                                 "counterpart funds is missing."),
                              lines, total, missing);
    }
  if (g_str_equal (rule, "total") && has_int (data, "excess"))
    {
      g_autofree char *lines = money_of (data, "lines");
      g_autofree char *total = money_of (data, "total_cost");

      return g_strdup_printf (_ ("The budget lines add up to %s, more than the total cost %s."),
                              lines, total);
    }
  return NULL;
}

char *
kc_errors_describe_violation (JsonObject *item, gboolean with_field)
{
  const char *field = json_object_get_string_member_with_default (item, "field", NULL);
  const char *rule = json_object_get_string_member_with_default (item, "rule", NULL);
  const char *message = json_object_get_string_member_with_default (item, "message", NULL);
  JsonNode *data = json_object_get_member (item, "data");
  g_autofree char *sentence = kc_errors_rule_sentence (
      rule, data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL);

  if (sentence != NULL)
    {
      const char *label = with_field ? kc_errors_field_label (field) : NULL;

      if (label != NULL)
        /* TRANSLATORS: a field, then what is wrong with it */
        return g_strdup_printf (_ ("%s: %s"), label, sentence);
      return g_steal_pointer (&sentence);
    }
  return kc_errors_describe_item (with_field ? field : NULL, rule, message);
}

char *
kc_errors_describe_item (const char *field, const char *rule, const char *message)
{
  const char *label = kc_errors_field_label (field);
  const char *rule_text = kc_errors_rule_text (rule);
  g_autofree char *param_text = rule == NULL ? kc_errors_param_text (message) : NULL;
  const char *what = rule_text != NULL ? rule_text : param_text;
  const char *name = label != NULL ? label : field;

  if (what == NULL)
    {
      /* Unknown: the server's own words, said to be the server's. */
      if (name != NULL && *name != '\0')
        /* TRANSLATORS: a field, then the server's message in English */
        return g_strdup_printf (_ ("%s: %s (server's words)"), name,
                                message != NULL ? message : "");
      return g_strdup_printf (_ ("%s (server's words)"), message != NULL ? message : "");
    }
  if (name != NULL && *name != '\0')
    /* TRANSLATORS: a field, then what is wrong with it */
    return g_strdup_printf (_ ("%s: %s"), name, what);
  return g_strdup (what);
}

static void
append_items (GString *text, JsonNode *data, const char *member)
{
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  JsonArray *list
      = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      g_autofree char *line = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      line = kc_errors_describe_violation (json_node_get_object (element), TRUE);
      g_string_append_printf (text, "\n• %s", line);
    }
}

static const char *
protocol_text (int code)
{
  switch (code)
    {
      case KC_ERROR_NOT_LOGGED_IN:
      case KC_ERROR_SESSION_EXPIRED:
        return _ ("Your session has expired. Please log in again.");
      case KC_ERROR_FORBIDDEN:
        return _ ("Your role may not do this.");
      case KC_ERROR_NOT_FOUND:
        return _ ("This record does not exist or is outside your scope.");
      case KC_ERROR_CONFLICT:
        return _ ("Someone else changed this record meanwhile. Reload it and try again.");
      case KC_ERROR_BAD_STATUS:
        return _ ("This is not allowed in the record's current status.");
      case KC_ERROR_TOO_MANY:
        return _ ("Too many attempts. Please wait and try again.");
      case KC_ERROR_UNAVAILABLE:
        return _ ("The server is temporarily unavailable. Please try again shortly.");
      case KC_ERROR_INTERNAL:
        return _ ("The server met an internal error. Please tell your administrator.");
      case KC_ERROR_INVALID_PARAMS:
        return _ ("Some values were not accepted:");
      case KC_ERROR_RULE:
        return _ ("The rules do not allow this:");
      case KC_ERROR_METHOD_NOT_FOUND:
        return _ ("The server does not offer this; it may be older than this application.");
      case KC_ERROR_PARSE:
      case KC_ERROR_INVALID_REQUEST:
        return _ (
            "The server did not understand the request; this application may be out of date.");
      case KC_ERROR_SECOND_FACTOR:
        return _ ("A code from your authenticator app is needed.");
      default:
        return NULL;
    }
}

char *
kc_errors_describe (const GError *error, JsonNode *data)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == KC_SESSION_ERROR)
    {
      if (error->code == KC_SESSION_ERROR_UNREACHABLE)
        return g_strdup (_ ("Cannot reach the server. Check your network connection; your work "
                            "is kept and you can try again."));
      return g_strdup (_ ("The connection to the server was lost. Please try again."));
    }
  if (error->domain == KC_PROTOCOL_ERROR)
    {
      const char *text = protocol_text (error->code);
      GString *out;

      if (text == NULL)
        return g_strdup_printf (_ ("The server refused the request: %s"), error->message);
      out = g_string_new (text);
      if (error->code == KC_ERROR_INVALID_PARAMS)
        append_items (out, data, "fields");
      else if (error->code == KC_ERROR_RULE)
        append_items (out, data, "violations");
      /* Nothing listed: the server's sentence is all there is. */
      if ((error->code == KC_ERROR_INVALID_PARAMS || error->code == KC_ERROR_RULE)
          && strchr (out->str, '\n') == NULL)
        g_string_append_printf (out, "\n• %s", error->message);
      return g_string_free (out, FALSE);
    }
  /* GIO and the like: already translated by their own libraries. */
  return g_strdup (error->message);
}
