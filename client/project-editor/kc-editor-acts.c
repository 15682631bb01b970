/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-editor-acts.c — the acts after approval, each in its KcActDialog:
 * what they share (the role and scope of the project, its totals, dates in
 * words, the indicator fields, the files, kc_acts_run()) and the buttons.
 * kc_editor_acts_add() puts on the action bar exactly those the signed-in
 * role may take at the project's status and stage (docs/domain.md, "After
 * approval", "Budget", "The money chain"); each dialog shows its limits,
 * asks once and says what happened. The acts themselves live by concept:
 * kc-editor-acts-progress.c (progress reports, acceptance dossier,
 * acceptance), kc-editor-acts-change.c (adjustments, cancellation) and
 * kc-editor-acts-money.c (allocation, contract, payments, settlement,
 * carry-over, recovery).
 */
#include "kc-editor-acts-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kc-json.h"
#include "kc-labels.h"

/* Shared pieces (kc-editor-acts-private.h) */

gboolean
kc_acts_is_role (KcProjectEditor *self, const char *role)
{
  return g_str_equal (kc_project_editor_role (self), role);
}

gboolean
kc_acts_is_national (KcProjectEditor *self)
{
  return g_strcmp0 (kc_json_string (self->project, "scope"), "national") == 0;
}

/* The role that writes the project's money: the Minister's approver for a
 * national project, the province's leader for a local one. */
gboolean
kc_acts_writes_money (KcProjectEditor *self)
{
  return kc_acts_is_national (self) ? kc_acts_is_role (self, "ministry_approver")
                                    : kc_acts_is_role (self, "province_leader");
}

const char *
kc_acts_project_code (KcProjectEditor *self)
{
  const char *code = kc_json_string (self->project, "code");

  return code != NULL ? code : "";
}

const char *
kc_acts_money_source (KcProjectEditor *self)
{
  return kc_acts_is_national (self) ? "central" : "local";
}

gint64
kc_acts_total (KcProjectEditor *self, const char *name)
{
  JsonNode *node = self->budget != NULL ? json_object_get_member (self->budget, "totals") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  return kc_json_int (json_node_get_object (node), name);
}

gint64
kc_acts_budget_line (KcProjectEditor *self, const char *source)
{
  JsonArray *lines = kc_json_array (self->project, "budget_lines");

  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      if (g_strcmp0 (kc_json_string (line, "source"), source) == 0)
        return kc_json_int (line, "amount");
    }
  return 0;
}

static const char *
indicator_name (KcProjectEditor *self, const char *code)
{
  JsonArray *items = self->catalog != NULL ? kc_json_array (self->catalog, "indicators") : NULL;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (kc_json_string (item, "code"), code) == 0)
        return kc_json_string (item, "name_vi");
    }
  return NULL;
}

/* One number field per indicator of the project, keyed "indicators.CODE";
 * @achieved (nullable) gives the value to start from by code. */
void
kc_acts_add_indicator_fields (KcProjectEditor *self, KcActDialog *dialog, JsonArray *achieved)
{
  JsonArray *items = kc_json_array (self->project, "indicators");

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *code = kc_json_string (item, "code");
      const char *name = indicator_name (self, code);
      g_autofree char *key = g_strdup_printf ("indicators.%s", code);
      g_autofree char *label
          = g_strdup_printf ("%s%s%s", code, name != NULL ? " — " : "", name != NULL ? name : "");
      g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (item, "target"));
      g_autofree char *hint = g_strdup_printf (_ ("target %s"), target);
      gint64 start = -1;

      for (guint j = 0; achieved != NULL && j < json_array_get_length (achieved); j++)
        {
          JsonObject *a = json_array_get_object_element (achieved, j);

          if (g_strcmp0 (kc_json_string (a, "code"), code) == 0)
            start = kc_json_int (a, "achieved");
        }
      if (start < 0 && json_object_has_member (item, "achieved")
          && !json_object_get_null_member (item, "achieved"))
        start = kc_json_int (item, "achieved");
      kc_act_dialog_add_number (dialog, key, label, start, 0, -1, hint);
      kc_act_dialog_set_required (dialog, key, FALSE);
    }
}

/* [{code, achieved}] of the filled indicator fields (transfer full). */
JsonArray *
kc_acts_indicator_values (KcProjectEditor *self, KcActDialog *dialog, guint *filled)
{
  JsonArray *out = json_array_new ();
  JsonArray *items = kc_json_array (self->project, "indicators");

  *filled = 0;
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      const char *code = kc_json_string (json_array_get_object_element (items, i), "code");
      g_autofree char *key = g_strdup_printf ("indicators.%s", code);
      JsonObject *o;

      if (!kc_act_dialog_has_value (dialog, key))
        continue;
      o = json_object_new ();
      json_object_set_string_member (o, "code", code);
      json_object_set_int_member (o, "achieved", kc_act_dialog_get_number (dialog, key));
      json_array_add_object_element (out, o);
      (*filled)++;
    }
  return out;
}

static void
act_finished (gpointer data, const char *text)
{
  KcProjectEditor *self = data;

  kc_project_editor_clear_errors (self);
  kc_project_editor_show_message (self, GTK_MESSAGE_INFO, text != NULL ? text : "", FALSE);
  kc_project_editor_load (self);
}

KcActDialog *
kc_acts_new (KcProjectEditor *self, const char *title, const char *accept)
{
  return kc_act_dialog_new (GTK_WINDOW (self), self->session, title, accept);
}

void
kc_acts_run (KcProjectEditor *self, KcActDialog *dialog, KcCallFunc method, KcActBuildFunc build,
             KcActTextFunc confirm, KcActTextFunc done)
{
  kc_project_editor_hide_message (self);
  kc_act_dialog_run (dialog, method, build, confirm, done, act_finished, g_object_ref (self),
                     g_object_unref);
}

JsonObject *
kc_acts_params (JsonNode *node)
{
  return json_node_get_object (node);
}

void
kc_acts_set_iso (JsonObject *params, const char *member, KcActDialog *dialog, const char *key)
{
  g_autofree char *iso = kc_act_dialog_get_iso (dialog, key);

  json_object_set_string_member (params, member, iso != NULL ? iso : "");
}

/* The files that go with an act (issue 16): chosen here, sent to
 * (@owner_type, the result's @id_member or @owner_id) once the act is
 * done. */
void
kc_acts_add_chosen_files (KcActDialog *dialog, const char *owner_type, const char *id_member,
                          gint64 owner_id)
{
  GtkWidget *files = GTK_WIDGET (kc_file_list_new_chosen ());

  kc_act_dialog_add_widget (dialog, _ ("Attachments"), files);
  kc_act_dialog_upload_after (dialog, files, owner_type, id_member, owner_id);
}

/* The files already on the server (attachment.list's items), to open or
 * save; @prefix (nullable) before each name. Adds the list to @files,
 * created (and put on @dialog under @label) on the first file. */
void
kc_acts_add_stored_files (KcProjectEditor *self, KcActDialog *dialog, KcFileList **files,
                          const char *label, JsonArray *attachments, const char *prefix)
{
  for (guint i = 0; attachments != NULL && i < json_array_get_length (attachments); i++)
    {
      if (*files == NULL)
        {
          *files = kc_file_list_new_stored (self->session);
          kc_act_dialog_add_widget (dialog, label, GTK_WIDGET (*files));
        }
      kc_file_list_add_stored (*files, json_array_get_object_element (attachments, i), prefix);
    }
}

/* The buttons */

void
kc_editor_acts_add (KcProjectEditor *self)
{
  const char *st = kc_project_editor_status (self);
  const char *stage = kc_json_string (self->project, "stage");
  gboolean running = g_str_equal (st, "approved") || g_str_equal (st, "in_progress");
  gboolean province = kc_project_editor_is_province_role (self);
  gboolean leader = kc_acts_is_role (self, "province_leader");
  gboolean ministry
      = kc_acts_is_role (self, "ministry_reviewer") || kc_acts_is_role (self, "ministry_approver");
  gboolean money = kc_acts_writes_money (self);

  if (province && running)
    kc_editor_actions_add (self, _ ("_Progress report…"),
                           _ ("Report this month's progress to the Department"),
                           G_CALLBACK (kc_acts_report));
  if (leader && running && kc_acts_unconfirmed_reports (self) > 0)
    kc_editor_actions_add (self, _ ("C_onfirm progress…"),
                           _ ("Confirm a progress report of the implementer"),
                           G_CALLBACK (kc_acts_confirm_report));
  if (leader && running && kc_acts_unconfirmed_reports (self) > 0)
    kc_editor_actions_add (self, _ ("Re_turn progress…"),
                           _ ("Send a progress report back to be reported again"),
                           G_CALLBACK (kc_acts_return_report));
  if (province && g_str_equal (st, "in_progress")
      && (g_strcmp0 (stage, "advanced") == 0 || g_strcmp0 (stage, "acceptance_submitted") == 0))
    kc_editor_actions_add (
        self,
        g_strcmp0 (stage, "acceptance_submitted") == 0 ? _ ("Send the acceptance dossier a_gain…")
                                                       : _ ("Acceptance dossie_r…"),
        _ ("Send the results for acceptance (nghiệm thu)"), G_CALLBACK (kc_acts_submit_acceptance));
  if (running
      && ((leader && !kc_acts_is_national (self)) || (ministry && kc_acts_is_national (self))))
    kc_editor_actions_add (self, _ ("Acc_eptance…"),
                           _ ("Record the acceptance and the indicators achieved"),
                           G_CALLBACK (kc_acts_accept));
  if (province && running && kc_acts_open_adjustment (self, FALSE) == NULL)
    kc_editor_actions_add (self, _ ("Ad_justment request…"), _ ("Ask to change the project"),
                           G_CALLBACK (kc_acts_request_adjustment));
  if (running && kc_acts_open_adjustment (self, TRUE) != NULL)
    kc_editor_actions_add (self, _ ("Decide the ad_justment…"),
                           _ ("Approve or refuse the open adjustment request"),
                           G_CALLBACK (kc_acts_decide_adjustment));
  if (money && (running || g_str_equal (st, "completed")))
    kc_editor_actions_add (self, _ ("A_llocate…"), _ ("Allocate budget to the project"),
                           G_CALLBACK (kc_acts_allocate));
  if (money && running && kc_acts_total (self, "contracted") == 0)
    kc_editor_actions_add (self, _ ("_Contract…"), _ ("Record the contract before any payment"),
                           G_CALLBACK (kc_acts_contract));
  if (money && running && kc_acts_total (self, "contracted") > 0)
    kc_editor_actions_add (self, _ ("Record an ad_vance…"), _ ("Record an advance payment"),
                           G_CALLBACK (kc_acts_advance));
  if (province && g_str_equal (st, "completed") && g_strcmp0 (stage, "settlement_submitted") != 0)
    kc_editor_actions_add (self, _ ("Settlement _dossier…"),
                           _ ("Send the settlement dossier (due 15 days after acceptance)"),
                           G_CALLBACK (kc_acts_settlement_dossier));
  if (money && g_str_equal (st, "completed"))
    {
      kc_editor_actions_add (self, _ ("_Final payment…"), _ ("Pay the rest after acceptance"),
                             G_CALLBACK (kc_acts_final_payment));
      kc_editor_actions_add (self, _ ("_Settle…"), _ ("Settle the project's accounts"),
                             G_CALLBACK (kc_acts_settle));
    }
  if (money && kc_acts_is_national (self)
      && (g_str_equal (st, "in_progress") || g_str_equal (st, "completed")))
    kc_editor_actions_add (self, _ ("Carry _over…"),
                           _ ("Carry unspent allocation over to a later year"),
                           G_CALLBACK (kc_acts_carry_over));
  if (money && g_str_equal (st, "settled"))
    kc_editor_actions_add (self, _ ("_Recovery…"), _ ("Record money paid back after settlement"),
                           G_CALLBACK (kc_acts_recover));
  if (money && g_str_equal (st, "cancelled") && kc_acts_total (self, "refund_outstanding") > 0)
    kc_editor_actions_add (self, _ ("Record a _refund…"),
                           _ ("Record money paid back after the cancellation"),
                           G_CALLBACK (kc_acts_refund));
  if (running
      && ((leader && !kc_acts_is_national (self))
          || (kc_acts_is_role (self, "ministry_approver") && kc_acts_is_national (self))))
    kc_editor_actions_add (self, _ ("Cancel or s_uspend…"), _ ("End the project by a decision"),
                           G_CALLBACK (kc_acts_cancel));
}
