/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-labels.c — the names of the wire's codes, in the user's language.
 */
#include "kc-labels.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kc-date.h"
#include "kc-money.h"

typedef struct
{
  const char *code;
  const char *name;
} Name;

const char *const kc_sources[4] = { "central", "local", "counterpart", "other" };

static const char *
lookup (const Name *names, gsize n, const char *code)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (code, names[i].code) == 0)
      return _ (names[i].name);
  return code != NULL ? code : "";
}

const char *
kc_label_plan_status (const char *status)
{
  static const Name names[] = {
    { "draft", N_ ("Draft") },
    { "submitted", N_ ("Submitted") },
    { "forwarded", N_ ("Forwarded to the Ministry") },
    { "approved", N_ ("Approved") },
  };
  return lookup (names, G_N_ELEMENTS (names), status);
}

const char *
kc_label_project_status (const char *status)
{
  static const Name names[] = {
    { "draft", N_ ("Draft") },
    { "submitted", N_ ("Submitted") },
    { "revision_requested", N_ ("Revision requested") },
    { "approved", N_ ("Approved") },
    { "rejected", N_ ("Rejected") },
    { "in_progress", N_ ("In progress") },
    { "completed", N_ ("Completed") },
    { "settled", N_ ("Settled") },
    { "cancelled", N_ ("Cancelled") },
  };
  return lookup (names, G_N_ELEMENTS (names), status);
}

const char *
kc_label_stage (const char *stage)
{
  static const Name names[] = {
    { "drafting", N_ ("Drafting") },
    { "returned", N_ ("Returned by the province") },
    { "registered", N_ ("Registered") },
    { "base_appraised", N_ ("Appraised by the province") },
    { "submitted_direct", N_ ("Sent directly to the Ministry") },
    { "resubmitted", N_ ("Resubmitted") },
    { "revision_requested", N_ ("Revision requested") },
    { "plan_approved", N_ ("In the approved plan") },
    { "accepted", N_ ("Accepted") },
    { "acceptance_submitted", N_ ("Acceptance dossier sent") },
    { "adjusting", N_ ("Being adjusted") },
    { "advanced", N_ ("Advance paid") },
    { "approved", N_ ("Approved") },
    { "base_appraisal_failed", N_ ("Failed the province's appraisal") },
    { "cancelled", N_ ("Cancelled") },
    { "completed", N_ ("Completed") },
    { "contracted", N_ ("Contract signed") },
    { "forwarded", N_ ("Forwarded to the Ministry") },
    { "fully_advanced", N_ ("Fully advanced") },
    { "implementation_plan_approved", N_ ("Implementation plan approved") },
    { "in_progress", N_ ("In progress") },
    { "ministry_appraised", N_ ("Appraised by the Ministry") },
    { "not_selected", N_ ("Not selected") },
    { "partially_settled", N_ ("Partially settled") },
    { "plan_assigned", N_ ("Assigned in the plan") },
    { "rejected", N_ ("Rejected") },
    { "settled", N_ ("Settled") },
    { "settlement_submitted", N_ ("Settlement submitted") },
    { "submitted", N_ ("Submitted") },
    { "draft", N_ ("Draft") },
  };
  return lookup (names, G_N_ELEMENTS (names), stage);
}

const char *
kc_label_source (const char *source)
{
  static const Name names[] = {
    { "central", N_ ("Central budget") },
    { "local", N_ ("Local budget") },
    { "counterpart", N_ ("Counterpart funds") },
    { "other", N_ ("Other sources") },
  };
  return lookup (names, G_N_ELEMENTS (names), source);
}

const char *
kc_label_scope (const char *scope)
{
  static const Name names[] = {
    { "national", N_ ("National") },
    { "local", N_ ("Local") },
  };
  return lookup (names, G_N_ELEMENTS (names), scope);
}

const char *
kc_label_beneficiary_kind (const char *kind)
{
  static const Name names[] = {
    { "enterprise", N_ ("Enterprise") },
    { "cooperative", N_ ("Cooperative") },
    { "cooperative_group", N_ ("Cooperative group") },
    { "household_business", N_ ("Household business") },
  };
  return lookup (names, G_N_ELEMENTS (names), kind);
}

char *
kc_label_plan_name (const char *title, gint64 year, const char *scope)
{
  if (title != NULL && title[0] != '\0')
    return g_strdup (title);
  if (year <= 0)
    return g_strdup (_ ("Plan"));
  if (g_strcmp0 (scope, "national") == 0)
    /* TRANSLATORS: a plan without a title: "Kế hoạch KCQG năm 2026" */
    return g_strdup_printf (_ ("National plan of %d"), (int)year);
  if (g_strcmp0 (scope, "local") == 0)
    /* TRANSLATORS: a plan without a title: "Kế hoạch KCĐP năm 2026" */
    return g_strdup_printf (_ ("Local plan of %d"), (int)year);
  /* TRANSLATORS: a plan without a title, its scope unknown: "Kế hoạch năm 2026" */
  return g_strdup_printf (_ ("Plan of %d"), (int)year);
}

char *
kc_label_plan_choice (const char *title, gint64 year, const char *scope, const char *org_name)
{
  g_autofree char *name = NULL;

  if (title != NULL && title[0] != '\0')
    return g_strdup_printf ("%" G_GINT64_FORMAT " · %s · %s", year, kc_label_scope (scope), title);
  name = kc_label_plan_name (NULL, year, scope);
  return org_name != NULL ? g_strdup_printf ("%s · %s", name, org_name) : g_steal_pointer (&name);
}

char *
kc_label_money (gint64 dong)
{
  return kc_money_format (dong);
}

static const Name roles[] = {
  { "province_officer", N_ ("Province officer") },
  { "province_leader", N_ ("Province leader") },
  { "ministry_reviewer", N_ ("Ministry reviewer") },
  { "ministry_approver", N_ ("Ministry approver") },
  { "admin", N_ ("Administrator") },
  { "viewer", N_ ("Viewer") },
};

const char *
kc_label_role (const char *role)
{
  return lookup (roles, G_N_ELEMENTS (roles), role);
}

static const Name org_kinds[] = {
  { "ministry", N_ ("Ministry") },
  { "ministry_department", N_ ("Ministry department") },
  { "regional_centre", N_ ("Regional centre") },
  { "province", N_ ("Province or city") },
  { "province_department", N_ ("Department of Industry and Trade") },
  { "promotion_centre", N_ ("Industrial promotion centre") },
};

const char *
kc_label_org_kind (const char *kind)
{
  return lookup (org_kinds, G_N_ELEMENTS (org_kinds), kind);
}

static const Name confidences[] = {
  { "C", N_ ("Confirmed") },
  { "P", N_ ("Probable") },
  { "U", N_ ("Unverified") },
};

const char *
kc_label_confidence (const char *confidence)
{
  return lookup (confidences, G_N_ELEMENTS (confidences), confidence);
}

static const Name project_kinds[] = {
  { "regular", N_ ("Regular project") },
  { "group", N_ ("Group project") },
  { "flagship", N_ ("Flagship project") },
};

const char *
kc_label_project_kind (const char *kind)
{
  return lookup (project_kinds, G_N_ELEMENTS (project_kinds), kind);
}

static const Name procurements[] = {
  { "selection", N_ ("Direct selection") },
  { "bidding", N_ ("Bidding") },
};

const char *
kc_label_procurement (const char *procurement)
{
  return lookup (procurements, G_N_ELEMENTS (procurements), procurement);
}

static const Name decisions[] = {
  { "approve", N_ ("Approved") },
  { "reject", N_ ("Rejected") },
  { "request_revision", N_ ("Revision requested") },
  { "return", N_ ("Returned") },
  { "forward", N_ ("Forwarded") },
};

const char *
kc_label_decision (const char *decision)
{
  return lookup (decisions, G_N_ELEMENTS (decisions), decision);
}

static const Name disbursement_kinds[] = {
  { "advance", N_ ("Advance") },
  { "final", N_ ("Final payment") },
  { "refund", N_ ("Refund") },
};

const char *
kc_label_disbursement_kind (const char *kind)
{
  return lookup (disbursement_kinds, G_N_ELEMENTS (disbursement_kinds), kind);
}

static const Name progress_statuses[] = {
  { "reported", N_ ("Reported") },
  { "confirmed", N_ ("Confirmed") },
};

const char *
kc_label_progress_status (const char *status)
{
  return lookup (progress_statuses, G_N_ELEMENTS (progress_statuses), status);
}

static const Name adjustment_statuses[] = {
  { "pending", N_ ("Awaiting a decision") },
  { "approved", N_ ("Approved") },
  { "rejected", N_ ("Rejected") },
};

const char *
kc_label_adjustment_status (const char *status)
{
  return lookup (adjustment_statuses, G_N_ELEMENTS (adjustment_statuses), status);
}

static const Name actions[] = {
  { "auth.login", N_ ("Login") },
  { "auth.logout", N_ ("Logout") },
  { "auth.change_password", N_ ("Password changed") },
  { "auth.totp_begin", N_ ("Two-step login being set up") },
  { "auth.totp_confirm", N_ ("Two-step login turned on") },
  { "auth.totp_disable", N_ ("Two-step login turned off") },
  { "user.create", N_ ("Account created") },
  { "user.update", N_ ("Account changed") },
  { "user.disable", N_ ("Account disabled") },
  { "user.reset_password", N_ ("Password reset") },
  { "user.confirm_reset", N_ ("Password reset confirmed") },
  { "plan.create", N_ ("Plan created") },
  { "plan.update", N_ ("Plan changed") },
  { "plan.submit", N_ ("Plan sent to the province") },
  { "plan.appraise", N_ ("Plan appraised") },
  { "plan.approve_local", N_ ("Local plan approved") },
  { "plan.withdraw", N_ ("Plan withdrawn") },
  { "project.create", N_ ("Project created") },
  { "project.update", N_ ("Project changed") },
  { "project.delete", N_ ("Project deleted") },
  { "project.copy", N_ ("Project copied") },
  { "project.import", N_ ("Projects imported") },
  { "project.resubmit", N_ ("Project resubmitted") },
  { "project.cancel", N_ ("Project cancelled") },
  { "project.submit_acceptance", N_ ("Acceptance dossier sent") },
  { "project.accept", N_ ("Project accepted") },
  { "project.fail_base_appraisal", N_ ("Project failed the province's appraisal") },
  { "project.approve_implementation_plan", N_ ("Implementation plan approved") },
  { "project.set_cost_items", N_ ("Cost items changed") },
  { "review.assign", N_ ("Reviewer assigned") },
  { "review.comment", N_ ("Review comment") },
  { "review.score", N_ ("Project scored") },
  { "review.decide", N_ ("Review decision") },
  { "review.scorer_may_approve", N_ ("Scorer allowed to approve") },
  { "decision.approve_plan", N_ ("Plan approved by decision") },
  { "decision.amend", N_ ("Decision amended") },
  { "budget.set_appropriation", N_ ("Appropriation set") },
  { "budget.allocate", N_ ("Funds allocated") },
  { "budget.contract", N_ ("Contract recorded") },
  { "budget.disburse", N_ ("Payment recorded") },
  { "budget.recover", N_ ("Funds recovered") },
  { "budget.carry_over", N_ ("Funds carried over") },
  { "budget.submit_settlement", N_ ("Settlement submitted") },
  { "budget.settle", N_ ("Settlement approved") },
  { "progress.report", N_ ("Progress reported") },
  { "progress.confirm", N_ ("Progress confirmed") },
  { "adjustment.request", N_ ("Adjustment requested") },
  { "adjustment.decide", N_ ("Adjustment decided") },
  { "attachment.finish", N_ ("File attached") },
  { "attachment.delete", N_ ("File removed") },
  { "catalog.add_local_cap", N_ ("Local support cap added") },
  { "correspondence.open", N_ ("Request opened") },
  { "correspondence.reply", N_ ("Request answered") },
  { "correspondence.answer", N_ ("Request answered") },
  { "correspondence.close", N_ ("Request closed") },
  { "inbox.mark_seen", N_ ("Notice read") },
  { "programme.create", N_ ("Programme created") },
  { "programme.update", N_ ("Programme changed") },
  { "programme.approve", N_ ("Programme approved") },
  { "programme.set_targets", N_ ("Programme targets set") },
  { "report.province_send", N_ ("Province report sent") },
  { "round.create", N_ ("Call for projects opened") },
  { "round.report_send", N_ ("Round report sent") },
  { "round.report_update", N_ ("Round report changed") },
  { "round.report_accept", N_ ("Round report accepted") },
  { "round.report_return", N_ ("Round report returned") },
  { "typical_product.create", N_ ("Typical product added") },
  { "typical_product.update", N_ ("Typical product changed") },
};

const char *
kc_label_audit_action (const char *method)
{
  return lookup (actions, G_N_ELEMENTS (actions), method);
}

static const Name record_types[] = {
  { "user", N_ ("Account") },
  { "session", N_ ("Session") },
  { "plan", N_ ("Plan") },
  { "plan_decision", N_ ("Plan decision") },
  { "project", N_ ("Project") },
  { "project_adjustment", N_ ("Adjustment request") },
  { "progress_report", N_ ("Progress report") },
  { "review_comment", N_ ("Review comment") },
  { "appropriation", N_ ("Appropriation") },
  { "allocation", N_ ("Allocation") },
  { "contract", N_ ("Contract") },
  { "disbursement", N_ ("Payment") },
  { "settlement", N_ ("Settlement") },
  { "carry_over", N_ ("Carry-over") },
  { "attachment", N_ ("Attachment") },
  { "correspondence", N_ ("Request") },
  { "correspondence_message", N_ ("Request message") },
  { "inbox_seen", N_ ("Notice") },
  { "programme", N_ ("Programme") },
  { "province_report", N_ ("Province report") },
  { "round", N_ ("Call for projects") },
  { "round_report", N_ ("Round report") },
  { "typical_product", N_ ("Typical product") },
  { "catalog.local_caps", N_ ("Local support caps") },
  { "catalog.support_caps", N_ ("Support caps") },
};

const char *
kc_label_record_type (const char *record_type)
{
  return lookup (record_types, G_N_ELEMENTS (record_types), record_type);
}

const char *
kc_label_any_status (const char *status)
{
  const char *label = kc_label_project_status (status);

  if (label != status)
    return label;
  label = kc_label_plan_status (status);
  if (label != status)
    return label;
  label = kc_label_stage (status);
  if (label != status)
    return label;
  label = kc_label_progress_status (status);
  if (label != status)
    return label;
  return kc_label_adjustment_status (status);
}

const char *
kc_label_code (const char *text)
{
  const char *(*tables[]) (const char *) = {
    kc_label_any_status,   kc_label_source,      kc_label_beneficiary_kind,
    kc_label_project_kind, kc_label_procurement, kc_label_role,
    kc_label_org_kind,     kc_label_decision,    kc_label_disbursement_kind,
    kc_label_audit_action, kc_label_record_type,
  };

  if (text == NULL || *text == '\0')
    return text != NULL ? text : "";
  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      const char *label = tables[i](text);

      if (label != text)
        return label;
    }
  return text;
}

gboolean
kc_label_is_code (const char *text)
{
  return text != NULL && *text != '\0' && kc_label_code (text) != text;
}

char *
kc_label_decimal (double value, int decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *format = g_strdup_printf ("%%.%df", CLAMP (decimals, 0, 6));
  char *out, *comma;

  g_ascii_formatd (buf, sizeof buf, format, value);
  out = g_strdup (buf);
  comma = strchr (out, '.');
  if (comma != NULL)
    {
      char *end = out + strlen (out);

      while (end > comma + 1 && end[-1] == '0')
        *--end = '\0';
      if (end == comma + 1)
        *comma = '\0';
      else
        *comma = ',';
    }
  /* "-0" is 0. */
  if (g_str_equal (out, "-0"))
    out[0] = '0', out[1] = '\0';
  return out;
}

char *
kc_label_number (double value, int decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *format = g_strdup_printf ("%%.%df", CLAMP (decimals, 0, 6));
  char *dot;

  g_ascii_formatd (buf, sizeof buf, format, value);
  dot = strchr (buf, '.');
  if (dot != NULL)
    *dot = ',';
  return g_strdup (buf);
}

char *
kc_label_percent (double value, int decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *format = g_strdup_printf ("%%.%df", CLAMP (decimals, 0, 6));
  char *dot;

  /* Percentages keep their decimals ("100,0 %" beside "41,7 %"); a
   * no-break space keeps the sign with its number. */
  g_ascii_formatd (buf, sizeof buf, format, value);
  dot = strchr (buf, '.');
  if (dot != NULL)
    *dot = ',';
  return g_strdup_printf ("%s\u00a0%%", buf);
}

char *
kc_label_date (const char *iso)
{
  GDate date;

  if (iso == NULL || !kc_date_parse_iso (iso, &date))
    return g_strdup (iso != NULL ? iso : "");
  return kc_date_format_vn (&date);
}

char *
kc_label_month (const char *period)
{
  if (period == NULL || strlen (period) < 7)
    return g_strdup ("");
  return g_strdup_printf ("%.2s/%.4s", period + 5, period);
}

char *
kc_label_instant (const char *text)
{
  g_autoptr (GDateTime) at = kc_instant_parse (text);
  g_autoptr (GDateTime) local = at != NULL ? g_date_time_to_local (at) : NULL;

  return local != NULL ? g_date_time_format (local, "%d/%m/%Y %H:%M") : g_strdup ("");
}
