/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-labels.c — the names of the wire's codes, in the user's language.
 */
#include "kc-labels.h"

#include <glib/gi18n.h>

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
kc_label_money (gint64 dong)
{
  return kc_money_format (dong);
}
