/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-editor-acts-money.c — the money chain of a project (docs/domain.md,
 * "The money chain"): allocation, the contract, advances, the final
 * payment and refunds, the settlement dossier, the settlement, carry-over
 * and recovery. Put on the action bar by kc_editor_acts_add()
 * (kc-editor-acts.c).
 */
#include "kc-editor-acts-private.h"

#include <glib/gi18n.h>

#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"

/* Money: allocation, contract, payments */

static char *
money_of (KcActDialog *dialog, const char *key)
{
  return kc_money_format (kc_act_dialog_get_number (dialog, key));
}

static JsonNode *
allocate_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params
      = kc_editor_params_new ("project_id", self->id, "version", self->version, "amount",
                              kc_act_dialog_get_number (dialog, "amount"), NULL);

  json_object_set_string_member (kc_acts_params (params), "source", kc_acts_money_source (self));
  return params;
}

static char *
allocate_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Allocate %s of the %s to project %s?"), amount,
                          kc_label_source (kc_acts_money_source (self)),
                          kc_acts_project_code (self));
}

static char *
allocate_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("%s allocated to project %s."), amount, kc_acts_project_code (self));
}

void
kc_acts_allocate (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Allocate budget"), _ ("_Allocate"));
  gint64 line = kc_acts_budget_line (self, kc_acts_money_source (self));
  gint64 left = MAX (0, line - kc_acts_total (self, "allocated"));
  g_autofree char *money = kc_money_format (left);
  g_autofree char *hint = g_strdup_printf (_ ("at most %s = the project's %s line less what is "
                                              "allocated"),
                                           money, kc_label_source (kc_acts_money_source (self)));

  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), left, 1, left, hint);
  kc_acts_run (self, dialog, kc_session_budget_allocate_async, allocate_build, allocate_confirm,
               allocate_done);
}

static JsonNode *
contract_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params
      = kc_editor_params_new ("project_id", self->id, "version", self->version, "amount",
                              kc_act_dialog_get_number (dialog, "amount"), NULL);

  json_object_set_string_member (kc_acts_params (params), "number",
                                 kc_act_dialog_get_text (dialog, "number"));
  kc_acts_set_iso (kc_acts_params (params), "signed_on", dialog, "signed_on");
  return params;
}

static char *
contract_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Record contract %s of %s for project %s? A project has one "
                             "contract."),
                          kc_act_dialog_get_text (dialog, "number"), amount,
                          kc_acts_project_code (self));
}

static char *
contract_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Contract %s recorded (%s)."),
                          kc_act_dialog_get_text (dialog, "number"), amount);
}

void
kc_acts_contract (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Record the contract"), _ ("_Record"));
  gint64 allocated = kc_acts_total (self, "allocated");
  g_autofree char *money = kc_money_format (allocated);
  g_autofree char *hint = g_strdup_printf (_ ("at most %s = what is allocated"), money);

  kc_act_dialog_add_text (dialog, "number", _ ("Contract _number"), NULL, TRUE, NULL);
  kc_act_dialog_add_date (dialog, "signed_on", _ ("_Signed on"), NULL, TRUE);
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), allocated, 1, allocated, hint);
  kc_acts_run (self, dialog, kc_session_budget_contract_async, contract_build, contract_confirm,
               contract_done);
}

/* The kind of payment the dialog records: "advance", "final" or "refund". */
static const char *
payment_kind (KcProjectEditor *self)
{
  return self->paying;
}

static const char *
payment_name (const char *kind)
{
  if (g_strcmp0 (kind, "final") == 0)
    return _ ("final payment");
  if (g_strcmp0 (kind, "refund") == 0)
    return _ ("refund");
  return _ ("advance");
}

static JsonNode *
pay_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "amount",
                                           kc_act_dialog_get_number (dialog, "amount"), NULL);
  JsonObject *p = kc_acts_params (params);

  json_object_set_string_member (p, "kind", payment_kind (self));
  kc_acts_set_iso (p, "date", dialog, "date");
  json_object_set_string_member (p, "document_no", kc_act_dialog_get_text (dialog, "document_no"));
  return params;
}

static char *
pay_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");
  const char *kind = payment_kind (self);

  if (g_str_equal (kind, "refund"))
    return g_strdup_printf (_ ("Record a refund of %s from project %s (voucher %s)?"), amount,
                            kc_acts_project_code (self),
                            kc_act_dialog_get_text (dialog, "document_no"));
  return g_strdup_printf (_ ("Pay %s to project %s as its %s (voucher %s)?"), amount,
                          kc_acts_project_code (self), payment_name (kind),
                          kc_act_dialog_get_text (dialog, "document_no"));
}

static char *
pay_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");
  const char *kind = payment_kind (self);

  if (g_str_equal (kind, "refund"))
    return g_strdup_printf (_ ("Refund of %s recorded for project %s."), amount,
                            kc_acts_project_code (self));
  if (g_str_equal (kind, "final"))
    return g_strdup_printf (_ ("Final payment of %s recorded for project %s."), amount,
                            kc_acts_project_code (self));
  return g_strdup_printf (_ ("Advance of %s recorded for project %s."), amount,
                          kc_acts_project_code (self));
}

static gint64
max_before_acceptance_pct (KcProjectEditor *self)
{
  JsonObject *rules
      = self->catalog != NULL ? kc_json_object (self->catalog, "advance_rules") : NULL;
  gint64 pct = rules != NULL ? kc_json_int (rules, "max_before_acceptance_pct") : 0;

  return pct > 0 ? pct : 70;
}

static void
pay (KcProjectEditor *self, const char *kind)
{
  static const char *const kinds[] = { "advance", "final", "refund" };
  gint64 contracted = kc_acts_total (self, "contracted");
  gint64 advanced = kc_acts_total (self, "advanced");
  gint64 refunded = kc_acts_total (self, "refunded");
  gint64 paid = advanced + kc_acts_total (self, "final") - refunded;
  g_autofree char *hint = NULL;
  g_autofree char *money = NULL;
  KcActDialog *dialog;
  gint64 max;

  if (g_str_equal (kind, "refund"))
    {
      dialog = kc_acts_new (self, _ ("Record a refund"), _ ("_Record"));
      max = kc_acts_total (self, "refund_outstanding");
      money = kc_money_format (max);
      hint = g_strdup_printf (_ ("at most %s = what is still owed back"), money);
    }
  else if (g_str_equal (kind, "final"))
    {
      dialog = kc_acts_new (self, _ ("Final payment"), _ ("_Pay"));
      max = MAX (0, MIN (contracted, kc_acts_total (self, "allocated")) - paid);
      money = kc_money_format (max);
      hint = g_strdup_printf (_ ("at most %s = the contract less what was paid"), money);
    }
  else
    {
      gint64 pct = max_before_acceptance_pct (self);

      dialog = kc_acts_new (self, _ ("Record an advance"), _ ("_Pay"));
      max = MAX (0, contracted * pct / 100 - (advanced - refunded));
      money = kc_money_format (max);
      hint = advanced > 0
                 ? g_strdup_printf (_ ("at most %s = %d %% of the contract less the "
                                       "advances"),
                                    money, (int)pct)
                 : g_strdup_printf (_ ("at most %s = %d %% of the contract"), money, (int)pct);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i], kind))
      self->paying = kinds[i];
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"),
                           g_str_equal (kind, "advance") ? 0 : max, 1, max, hint);
  kc_act_dialog_add_date (dialog, "date", _ ("_Date"), NULL, FALSE);
  kc_act_dialog_add_text (dialog, "document_no", _ ("_Voucher number"), NULL, TRUE, NULL);
  kc_acts_run (self, dialog, kc_session_budget_disburse_async, pay_build, pay_confirm, pay_done);
}

void
kc_acts_advance (KcProjectEditor *self)
{
  pay (self, "advance");
}

void
kc_acts_final_payment (KcProjectEditor *self)
{
  pay (self, "final");
}

void
kc_acts_refund (KcProjectEditor *self)
{
  pay (self, "refund");
}

/* Settlement: the province's dossier, the settlement, carry-over, recovery */

static JsonNode *
dossier_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "version", self->version, NULL);

  kc_acts_set_iso (kc_acts_params (params), "submitted_on", dialog, "submitted_on");
  json_object_set_string_member (kc_acts_params (params), "record_no",
                                 kc_act_dialog_get_text (dialog, "record_no"));
  return params;
}

static char *
dossier_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Send the settlement dossier %s of project %s?"),
                          kc_act_dialog_get_text (dialog, "record_no"),
                          kc_acts_project_code (self));
}

static char *
dossier_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Settlement dossier of project %s sent."),
                          kc_acts_project_code (self));
}

void
kc_acts_settlement_dossier (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Settlement dossier"), _ ("_Send the dossier"));

  kc_act_dialog_set_intro (dialog, _ ("The dossier is due 15 days after acceptance. Attach its "
                                      "documents in the Attachments tab."));
  kc_act_dialog_add_date (dialog, "submitted_on", _ ("_Submitted on"), NULL, TRUE);
  kc_act_dialog_add_text (dialog, "record_no", _ ("Dossier _number"), NULL, TRUE, NULL);
  kc_acts_run (self, dialog, kc_session_budget_submit_settlement_async, dossier_build,
               dossier_confirm, dossier_done);
}

static JsonNode *
settle_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "version", self->version, NULL);
  JsonArray *amounts = json_array_new ();

  kc_acts_set_iso (kc_acts_params (params), "settled_on", dialog, "settled_on");
  json_object_set_string_member (kc_acts_params (params), "record_no",
                                 kc_act_dialog_get_text (dialog, "record_no"));
  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      g_autofree char *key = g_strdup_printf ("amounts.%s", kc_sources[i]);
      JsonObject *o;

      if (!kc_act_dialog_has_value (dialog, key))
        continue;
      o = json_object_new ();
      json_object_set_string_member (o, "source", kc_sources[i]);
      json_object_set_int_member (o, "amount", kc_act_dialog_get_number (dialog, key));
      json_array_add_object_element (amounts, o);
    }
  json_object_set_array_member (kc_acts_params (params), "amounts", amounts);
  return params;
}

static gint64
settled_sum (KcActDialog *dialog)
{
  gint64 sum = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      g_autofree char *key = g_strdup_printf ("amounts.%s", kc_sources[i]);

      sum += kc_act_dialog_get_number (dialog, key);
    }
  return sum;
}

static char *
settle_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *sum = kc_money_format (settled_sum (dialog));
  const char *source = kc_acts_money_source (self);
  g_autofree char *key = g_strdup_printf ("amounts.%s", source);
  gint64 paid = kc_acts_total (self, "advanced") + kc_acts_total (self, "final")
                - kc_acts_total (self, "refunded");
  g_autofree char *recover
      = kc_money_format (MAX (0, paid - kc_act_dialog_get_number (dialog, key)));

  return g_strdup_printf (_ ("Settle project %s at %s in all (record %s)? What was allocated "
                             "and not paid returns to the appropriation; %s paid and not "
                             "settled is to be recovered."),
                          kc_acts_project_code (self), sum,
                          kc_act_dialog_get_text (dialog, "record_no"), recover);
}

static char *
settle_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *sum = kc_money_format (settled_sum (dialog));
  g_autofree char *recover = kc_money_format (kc_json_int (result, "to_recover"));

  if (kc_json_int (result, "to_recover") > 0)
    return g_strdup_printf (_ ("Project %s settled: %s; %s to recover."),
                            kc_acts_project_code (self), sum, recover);
  return g_strdup_printf (_ ("Project %s settled: %s."), kc_acts_project_code (self), sum);
}

/* budget.settlement first: the deadlines and what is to be recovered. */
typedef void (*WithSettlementFunc) (KcProjectEditor *self, JsonObject *info);

static void
settlement_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);
  WithSettlementFunc then;

  if (reply == NULL)
    return;
  then = self->with_settlement;
  if (then != NULL)
    then (self, json_node_get_object (reply));
}

static void
with_settlement (KcProjectEditor *self, WithSettlementFunc then)
{
  self->with_settlement = then;
  kc_project_editor_set_busy (self, TRUE);
  kc_session_budget_settlement_async (self->session, self->id, self->cancellable,
                                      settlement_read_cb, self);
}

static void
open_settle (KcProjectEditor *self, JsonObject *info)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Settlement"), _ ("_Settle"));
  gint64 paid = kc_acts_total (self, "advanced") + kc_acts_total (self, "final")
                - kc_acts_total (self, "refunded");
  g_autofree char *accepted = kc_label_date (kc_json_string (info, "accepted_on"));
  g_autofree char *dossier = kc_label_date (kc_json_string (info, "dossier_due"));
  g_autofree char *due = kc_label_date (kc_json_string (info, "settle_due"));
  g_autofree char *intro = g_strdup_printf (
      json_object_get_boolean_member_with_default (info, "overdue", FALSE)
          ? _ ("Accepted on %s; the settlement dossier was due on %s and the settlement on %s: "
               "it is late.")
          : _ ("Accepted on %s; the settlement dossier is due on %s and the settlement on %s."),
      accepted, dossier, due);

  kc_act_dialog_set_intro (dialog, intro);

  kc_act_dialog_add_date (dialog, "settled_on", _ ("Settled _on"), NULL, TRUE);
  kc_act_dialog_add_text (dialog, "record_no", _ ("_Record number"), NULL, TRUE, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      const char *source = kc_sources[i];
      g_autofree char *key = g_strdup_printf ("amounts.%s", source);
      g_autofree char *label = g_strdup_printf (_ ("%s (đồng)"), kc_label_source (source));
      g_autofree char *money = kc_money_format (paid);
      g_autofree char *hint = NULL;
      gboolean paid_source = g_str_equal (source, kc_acts_money_source (self));
      gint64 line = kc_acts_budget_line (self, source);

      if (!paid_source && line == 0)
        continue;
      if (paid_source)
        hint = g_strdup_printf (_ ("at most %s = what was paid"), money);
      kc_act_dialog_add_money (dialog, key, label, paid_source ? paid : line, 0,
                               paid_source ? paid : -1, hint);
      kc_act_dialog_set_required (dialog, key, paid_source);
    }
  kc_acts_run (self, dialog, kc_session_budget_settle_async, settle_build, settle_confirm,
               settle_done);
}

void
kc_acts_settle (KcProjectEditor *self)
{
  with_settlement (self, open_settle);
}

static JsonNode *
carry_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;

  return kc_editor_params_new ("project_id", self->id, "to_year",
                               kc_act_dialog_get_number (dialog, "to_year"), "amount",
                               kc_act_dialog_get_number (dialog, "amount"), NULL);
}

static char *
carry_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Carry %s of project %s over to %d?"), amount,
                          kc_acts_project_code (self),
                          (int)kc_act_dialog_get_number (dialog, "to_year"));
}

static char *
carry_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("%s carried over to %d."), amount,
                          (int)kc_act_dialog_get_number (dialog, "to_year"));
}

void
kc_acts_carry_over (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Carry over"), _ ("_Carry over"));
  gint64 year = kc_json_int (self->project, "year");
  gint64 paid = kc_acts_total (self, "advanced") + kc_acts_total (self, "final")
                - kc_acts_total (self, "refunded");
  gint64 unspent = MAX (0, kc_acts_total (self, "allocated") - paid);
  g_autofree char *money = kc_money_format (unspent);
  g_autofree char *hint = g_strdup_printf (_ ("at most %s = allocated and not paid"), money);

  kc_act_dialog_add_number (dialog, "to_year", _ ("To _year"), year + 1, year + 1, 2100, NULL);
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), unspent, 1, unspent, hint);
  kc_acts_run (self, dialog, kc_session_budget_carry_over_async, carry_build, carry_confirm,
               carry_done);
}

static JsonNode *
recover_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "amount",
                                           kc_act_dialog_get_number (dialog, "amount"), NULL);

  kc_acts_set_iso (kc_acts_params (params), "date", dialog, "date");
  json_object_set_string_member (kc_acts_params (params), "document_no",
                                 kc_act_dialog_get_text (dialog, "document_no"));
  return params;
}

static char *
recover_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Record the recovery of %s from project %s (voucher %s)?"), amount,
                          kc_acts_project_code (self),
                          kc_act_dialog_get_text (dialog, "document_no"));
}

static char *
recover_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *amount = money_of (dialog, "amount");
  g_autofree char *left = kc_money_format (kc_json_int (result, "outstanding"));

  return g_strdup_printf (_ ("%s recovered; %s still to recover."), amount, left);
}

static void
open_recover (KcProjectEditor *self, JsonObject *info)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Recovery"), _ ("_Record"));
  JsonObject *settlement = kc_json_object (info, "settlement");
  g_autofree char *money = kc_money_format (kc_json_int (settlement, "to_recover"));
  g_autofree char *hint = g_strdup_printf (_ ("the settlement left %s to recover"), money);

  kc_act_dialog_set_intro (dialog, _ ("What was paid and not settled is paid back, in one or "
                                      "more payments."));
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), 0, 1, -1,
                           settlement != NULL ? hint : NULL);
  kc_act_dialog_add_date (dialog, "date", _ ("_Date"), NULL, FALSE);
  kc_act_dialog_add_text (dialog, "document_no", _ ("_Voucher number"), NULL, TRUE, NULL);
  kc_acts_run (self, dialog, kc_session_budget_recover_async, recover_build, recover_confirm,
               recover_done);
}

void
kc_acts_recover (KcProjectEditor *self)
{
  with_settlement (self, open_recover);
}
