/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-calls-budget.c — typed calls of KcSession (see kc-calls-budget.h).
 */
#include "kc-calls-budget.h"

static void
call_with_id (KcSession *self, const char *method, const char *name, gint64 id,
              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (JsonNode) params = NULL;

  json_object_set_int_member (object, name, id);
  params = json_node_init_object (json_node_alloc (), object);
  kc_session_call_async (self, method, params, cancellable, callback, user_data);
}

void
kc_session_budget_allocate_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "budget.allocate", params, cancellable, callback, user_data);
}

void
kc_session_budget_carry_over_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "budget.carry_over", params, cancellable, callback, user_data);
}

void
kc_session_budget_contract_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "budget.contract", params, cancellable, callback, user_data);
}

void
kc_session_budget_disburse_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "budget.disburse", params, cancellable, callback, user_data);
}

void
kc_session_budget_project_async (KcSession *self, gint64 project_id, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_id (self, "budget.project", "project_id", project_id, cancellable, callback, user_data);
}

void
kc_session_budget_recover_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "budget.recover", params, cancellable, callback, user_data);
}

void
kc_session_budget_set_appropriation_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  kc_session_call_async (self, "budget.set_appropriation", params, cancellable, callback,
                         user_data);
}

void
kc_session_budget_settle_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "budget.settle", params, cancellable, callback, user_data);
}

void
kc_session_budget_settlement_async (KcSession *self, gint64 project_id, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_id (self, "budget.settlement", "project_id", project_id, cancellable, callback,
                user_data);
}

void
kc_session_budget_submit_settlement_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  kc_session_call_async (self, "budget.submit_settlement", params, cancellable, callback,
                         user_data);
}

void
kc_session_budget_summary_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "budget.summary", params, cancellable, callback, user_data);
}

void
kc_session_decision_amend_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "decision.amend", params, cancellable, callback, user_data);
}

void
kc_session_decision_approve_plan_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  kc_session_call_async (self, "decision.approve_plan", params, cancellable, callback, user_data);
}

void
kc_session_decision_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "decision.list", params, cancellable, callback, user_data);
}

void
kc_session_budget_record_management_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  kc_session_call_async (self, "budget.record_management", params, cancellable, callback,
                         user_data);
}

void
kc_session_budget_management_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "budget.management", params, cancellable, callback, user_data);
}
