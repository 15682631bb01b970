/*
 * kc-labels.h — what people read for the codes of the wire: statuses,
 * stages, funding sources, scopes (translated; borrowed strings), and the
 * money and date cells of the lists.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *kc_label_plan_status (const char *status);
const char *kc_label_project_status (const char *status);
const char *kc_label_stage (const char *stage);
const char *kc_label_source (const char *source);
const char *kc_label_scope (const char *scope);
const char *kc_label_beneficiary_kind (const char *kind);
const char *kc_label_role (const char *role);
const char *kc_label_org_kind (const char *kind);
const char *kc_label_confidence (const char *confidence);
const char *kc_label_project_kind (const char *kind);
const char *kc_label_procurement (const char *procurement);
const char *kc_label_decision (const char *decision);
const char *kc_label_disbursement_kind (const char *kind);
const char *kc_label_progress_status (const char *status);
const char *kc_label_adjustment_status (const char *status);
/* An audit entry's method ("budget.disburse": "Disbursement recorded") and
 * the kind of record it concerns ("project": "Project"). */
const char *kc_label_audit_action (const char *method);
const char *kc_label_record_type (const char *record_type);
/* Any status of a row the lists show, whatever it belongs to: the
 * project's, then the plan's, the stage's, the others'. */
const char *kc_label_any_status (const char *status);

/* The name of any code above, whatever table it is in; @text itself when
 * it is none (borrowed). */
const char *kc_label_code (const char *text);

/* TRUE when @text is one of the codes above (for the tests that look for
 * codes left visible). */
gboolean kc_label_is_code (const char *text);

/* "8,5" from 8.5 with at most @decimals decimals, trailing zeros dropped
 * (transfer full). */
char *kc_label_decimal (double value, int decimals);

/* "8,0" from 8.0: exactly @decimals decimals, the decimal comma (transfer
 * full). */
char *kc_label_number (double value, int decimals);

/* "41,7 %" from 41.666 with @decimals decimals (transfer full). */
char *kc_label_percent (double value, int decimals);

/* The four funding sources in the order of the forms. */
extern const char *const kc_sources[4];

/* What a plan is called wherever a person meets it (home page, inbox,
 * notifications, plans list, the choosers): its title, or for a plan
 * without one "Kế hoạch KCQG năm 2026" / "Kế hoạch KCĐP năm 2026" from its
 * year and scope (scope NULL or unknown: "Kế hoạch năm 2026"; year 0 too:
 * "Kế hoạch"). The server sends the data, never this sentence (sql/0054).
 * Transfer full. */
char *kc_label_plan_name (const char *title, gint64 year, const char *scope);
/* A plan in a chooser: "2026 · Quốc gia · its title", or for one without a
 * title its name as above and its organisation, which tells one
 * province's untitled plans from another's (transfer full). */
char *kc_label_plan_choice (const char *title, gint64 year, const char *scope,
                            const char *org_name);

/* "1.234.567 ₫" for a JSON member that may be absent (transfer full). */
char *kc_label_money (gint64 dong);

/* The dates of the wire as people read them (transfer full):
 * a date "2026-03-20" as "20/03/2026" (what is not one as it is, NULL as
 * ""); a month "2026-11" as "11/2026" ("" when not one); an instant (RFC
 * 3339) in local time as "20/03/2026 14:05" ("" when not one). */
char *kc_label_date (const char *iso);
char *kc_label_month (const char *period);
char *kc_label_instant (const char *text);

G_END_DECLS
