/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-editor-acts-change.c — the acts that change or end an approved
 * project: the adjustment request (province) and its decision (the role
 * the request names), cancellation or suspension by a decision. Put on the
 * action bar by kc_editor_acts_add() (kc-editor-acts.c).
 */
#include "kc-editor-acts-private.h"

#include <glib/gi18n.h>

#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"

/* Adjustments: the request (province) and its decision */

static const char *const adjustment_types[] = { "minor",
                                                "increase_support",
                                                "change_content",
                                                "extend_next_year",
                                                "change_location_beneficiary_partner",
                                                "group_change",
                                                NULL };

static const char *
adjustment_type_label (const char *type)
{
  if (g_strcmp0 (type, "minor") == 0)
    return _ ("Minor change (implementer, schedule, items)");
  if (g_strcmp0 (type, "increase_support") == 0)
    return _ ("Increase of the support");
  if (g_strcmp0 (type, "change_content") == 0)
    return _ ("Change of content");
  if (g_strcmp0 (type, "extend_next_year") == 0)
    return _ ("Extension into the next year");
  if (g_strcmp0 (type, "change_location_beneficiary_partner") == 0)
    return _ ("Change of location, beneficiary or partner");
  if (g_strcmp0 (type, "group_change") == 0)
    return _ ("Change within a group project");
  return _ ("Adjustment");
}

static JsonNode *
request_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, NULL);
  JsonObject *p = kc_acts_params (params);
  JsonObject *changes = json_object_new ();

  json_object_set_string_member (p, "type", kc_act_dialog_get_choice (dialog, "type"));
  json_object_set_string_member (p, "reason", kc_act_dialog_get_text (dialog, "reason"));
  if (kc_act_dialog_has_value (dialog, "end_date"))
    kc_acts_set_iso (changes, "end_date", dialog, "end_date");
  if (kc_act_dialog_has_value (dialog, "objectives"))
    json_object_set_string_member (changes, "objectives",
                                   kc_act_dialog_get_text (dialog, "objectives"));
  if (kc_act_dialog_has_value (dialog, "implementation"))
    json_object_set_string_member (changes, "implementation",
                                   kc_act_dialog_get_text (dialog, "implementation"));
  if (json_object_get_size (changes) == 0)
    {
      json_object_unref (changes);
      json_node_unref (params);
      kc_act_dialog_mark (dialog, "end_date", _ ("Name at least one change."));
      return NULL;
    }
  json_object_set_object_member (p, "changes", changes);
  return params;
}

static char *
request_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Send the adjustment request \"%s\" for project %s? Until it is "
                             "decided the project cannot be adjusted again."),
                          adjustment_type_label (kc_act_dialog_get_choice (dialog, "type")),
                          kc_acts_project_code (self));
}

static char *
request_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  return g_strdup_printf (_ ("Adjustment request sent (%s)."),
                          adjustment_type_label (kc_json_string (result, "type")));
}

void
kc_acts_request_adjustment (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Adjustment request"), _ ("_Send the request"));
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();

  for (int i = 0; adjustment_types[i] != NULL; i++)
    g_ptr_array_add (texts, (gpointer)adjustment_type_label (adjustment_types[i]));
  g_ptr_array_add (texts, NULL);
  kc_act_dialog_set_intro (dialog, _ ("Say what changes and why. The deciding authority follows "
                                      "from the kind of change: the Minister, the Ministry's "
                                      "department or the province's Department."));
  kc_act_dialog_add_choice (dialog, "type", _ ("_Kind of change"), adjustment_types,
                            (const char *const *)texts->pdata, NULL);
  kc_act_dialog_add_date (dialog, "end_date", _ ("New _end date"),
                          kc_json_string (self->project, "end_date"), FALSE);
  kc_act_dialog_set_required (dialog, "end_date", FALSE);
  kc_act_dialog_add_long_text (dialog, "objectives", _ ("New _objectives"), NULL, FALSE, NULL);
  kc_act_dialog_add_long_text (dialog, "implementation", _ ("New _implementation"), NULL, FALSE,
                               NULL);
  kc_act_dialog_add_long_text (dialog, "reason", _ ("_Why"), NULL, TRUE, NULL);
  kc_acts_run (self, dialog, kc_session_adjustment_request_async, request_build, request_confirm,
               request_done);
}

/* The open request this role decides, or NULL. */
JsonObject *
kc_acts_open_adjustment (KcProjectEditor *self, gboolean mine)
{
  for (guint i = 0; self->adjustments != NULL && i < json_array_get_length (self->adjustments); i++)
    {
      JsonObject *a = json_array_get_object_element (self->adjustments, i);
      JsonArray *roles = kc_json_array (a, "approver_roles");

      if (g_strcmp0 (kc_json_string (a, "status"), "requested") != 0)
        continue;
      if (!mine)
        return a;
      for (guint j = 0; roles != NULL && j < json_array_get_length (roles); j++)
        if (g_strcmp0 (json_array_get_string_element (roles, j), kc_project_editor_role (self))
            == 0)
          return a;
    }
  return NULL;
}

static JsonNode *
decide_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonObject *a = kc_acts_open_adjustment (self, TRUE);
  const char *decision = kc_act_dialog_get_choice (dialog, "decision");
  JsonNode *params;

  if (a == NULL)
    return NULL;
  if (g_strcmp0 (decision, "reject") == 0 && !kc_act_dialog_has_value (dialog, "comment"))
    {
      kc_act_dialog_mark (dialog, "comment", _ ("Say why the request is refused."));
      return NULL;
    }
  params = kc_editor_params_new ("id", kc_json_int (a, "id"), "version", kc_json_int (a, "version"),
                                 NULL);
  json_object_set_string_member (kc_acts_params (params), "decision", decision);
  if (kc_act_dialog_has_value (dialog, "comment"))
    json_object_set_string_member (kc_acts_params (params), "comment",
                                   kc_act_dialog_get_text (dialog, "comment"));
  return params;
}

static char *
decide_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  JsonObject *a = kc_acts_open_adjustment (self, TRUE);
  gboolean approve = g_strcmp0 (kc_act_dialog_get_choice (dialog, "decision"), "approve") == 0;

  return g_strdup_printf (approve ? _ ("Approve the adjustment \"%s\" of project %s? Its changes "
                                       "apply to the project at once.")
                                  : _ ("Refuse the adjustment \"%s\" of project %s?"),
                          adjustment_type_label (kc_json_string (a, "type")),
                          kc_acts_project_code (self));
}

static char *
decide_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  const char *type = adjustment_type_label (kc_json_string (result, "type"));

  return g_strdup_printf (g_strcmp0 (kc_json_string (result, "status"), "approved") == 0
                              ? _ ("Adjustment approved (%s): the project is changed.")
                              : _ ("Adjustment refused (%s)."),
                          type);
}

void
kc_acts_decide_adjustment (KcProjectEditor *self)
{
  JsonObject *a = kc_acts_open_adjustment (self, TRUE);
  KcActDialog *dialog = kc_acts_new (self, _ ("Decide an adjustment"), _ ("_Decide"));
  static const char *const ids[] = { "approve", "reject", NULL };
  const char *texts[] = { _ ("Approve"), _ ("Refuse"), NULL };
  g_autoptr (GString) intro = g_string_new (NULL);
  JsonObject *changes = a != NULL ? kc_json_object (a, "changes") : NULL;
  g_autoptr (GList) members = changes != NULL ? json_object_get_members (changes) : NULL;

  g_string_append_printf (intro, _ ("%s. Why: %s"),
                          adjustment_type_label (kc_json_string (a, "type")),
                          kc_json_string (a, "reason") != NULL ? kc_json_string (a, "reason") : "");
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (changes, l->data);
      const char *label = kc_project_editor_field_label (l->data);
      g_autofree char *shown = JSON_NODE_HOLDS_VALUE (value)
                                   ? g_strdup (json_node_get_string (value))
                                   : json_to_string (value, FALSE);

      if (g_strcmp0 (l->data, "end_date") == 0)
        {
          g_free (shown);
          shown = kc_label_date (json_node_get_string (value));
        }
      g_string_append_printf (intro, "\n• %s: %s", label != NULL ? label : (char *)l->data,
                              shown != NULL ? shown : "");
    }
  kc_act_dialog_set_intro (dialog, intro->str);
  kc_act_dialog_add_choice (dialog, "decision", _ ("_Decision"), ids, texts, "approve");
  kc_act_dialog_add_long_text (dialog, "comment", _ ("_Comment"), NULL, FALSE,
                               _ ("Required to refuse"));
  kc_acts_run (self, dialog, kc_session_adjustment_decide_async, decide_build, decide_confirm,
               decide_done);
}

/* Cancellation or suspension */

static JsonNode *
cancel_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("id", self->id, "version", self->version, NULL);
  JsonObject *p = kc_acts_params (params);

  json_object_set_string_member (p, "kind", kc_act_dialog_get_choice (dialog, "kind"));
  json_object_set_string_member (p, "decision_no", kc_act_dialog_get_text (dialog, "decision_no"));
  kc_acts_set_iso (p, "decision_date", dialog, "decision_date");
  json_object_set_string_member (p, "reason", kc_act_dialog_get_text (dialog, "reason"));
  return params;
}

static char *
cancel_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  gint64 paid = kc_acts_total (self, "paid");
  g_autofree char *unpaid = kc_money_format (MAX (0, kc_acts_total (self, "allocated") - paid));
  g_autofree char *owed = kc_money_format (paid);
  gboolean suspend = g_strcmp0 (kc_act_dialog_get_choice (dialog, "kind"), "suspension") == 0;

  return g_strdup_printf (suspend ? _ ("Suspend project %s by decision %s? This ends it: %s "
                                       "allocated and not paid returns to the appropriation, "
                                       "%s paid is owed back.")
                                  : _ ("Cancel project %s by decision %s? This ends it: %s "
                                       "allocated and not paid returns to the appropriation, "
                                       "%s paid is owed back."),
                          kc_acts_project_code (self),
                          kc_act_dialog_get_text (dialog, "decision_no"), unpaid, owed);
}

static char *
cancel_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (g_strcmp0 (kc_act_dialog_get_choice (dialog, "kind"), "suspension") == 0
                              ? _ ("Project %s suspended (decision %s).")
                              : _ ("Project %s cancelled (decision %s)."),
                          kc_acts_project_code (self),
                          kc_act_dialog_get_text (dialog, "decision_no"));
}

void
kc_acts_cancel (KcProjectEditor *self)
{
  KcActDialog *dialog
      = kc_acts_new (self, _ ("Cancel or suspend the project"), _ ("_End the project"));
  static const char *const ids[] = { "cancellation", "suspension", NULL };
  const char *texts[] = { _ ("Cancellation"), _ ("Suspension"), NULL };

  kc_act_dialog_add_choice (dialog, "kind", _ ("_Kind"), ids, texts, "cancellation");
  kc_act_dialog_add_text (dialog, "decision_no", _ ("Decision _number"), NULL, TRUE, NULL);
  kc_act_dialog_add_date (dialog, "decision_date", _ ("Decision _date"), NULL, TRUE);
  kc_act_dialog_add_long_text (dialog, "reason", _ ("_Reason"), NULL, TRUE, NULL);
  kc_acts_run (self, dialog, kc_session_project_cancel_async, cancel_build, cancel_confirm,
               cancel_done);
}
