/*
 * kc-calls-budget.h — typed calls of KcSession: the money of approved projects: budget.* and the
 * plan decisions (decision.*).
 *
 * Each sends its method and finishes with kc_session_call_finish(). A read of
 * one record takes its id, a read without parameters none; the others take
 * @params, the method's parameters as an object (transfer none; NULL means {};
 * docs/protocol.md names them): those are KcCallFunc (kc-calls.h).
 */
#pragma once

#include "kc-session.h"

G_BEGIN_DECLS

/* budget.allocate */
void kc_session_budget_allocate_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* budget.carry_over */
void kc_session_budget_carry_over_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* budget.contract */
void kc_session_budget_contract_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* budget.disburse */
void kc_session_budget_disburse_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* budget.project {project_id} */
void kc_session_budget_project_async (KcSession *self, gint64 project_id, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* budget.recover */
void kc_session_budget_recover_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* budget.set_appropriation */
void kc_session_budget_set_appropriation_async (KcSession *self, JsonNode *params,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
/* budget.settle */
void kc_session_budget_settle_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* budget.settlement {project_id} */
void kc_session_budget_settlement_async (KcSession *self, gint64 project_id,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* budget.submit_settlement */
void kc_session_budget_submit_settlement_async (KcSession *self, JsonNode *params,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
/* budget.summary */
void kc_session_budget_summary_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);

/* decision.amend */
void kc_session_decision_amend_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* decision.approve_plan */
void kc_session_decision_approve_plan_async (KcSession *self, JsonNode *params,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
/* decision.list */
void kc_session_decision_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);

/* budget.record_management */
void kc_session_budget_record_management_async (KcSession *self, JsonNode *params,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);

/* budget.management */
void kc_session_budget_management_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);

G_END_DECLS
