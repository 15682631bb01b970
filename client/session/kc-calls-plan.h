/*
 * kc-calls-plan.h — typed calls of KcSession: plans and projects beyond the editor's three
 * (kc-calls.h): plan.*, project.*.
 *
 * Each sends its method and finishes with kc_session_call_finish(). A read of
 * one record takes its id, a read without parameters none; the others take
 * @params, the method's parameters as an object (transfer none; NULL means {};
 * docs/protocol.md names them): those are KcCallFunc (kc-calls.h).
 */
#pragma once

#include "kc-session.h"

G_BEGIN_DECLS

/* plan.appraise */
void kc_session_plan_appraise_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* plan.approve_local */
void kc_session_plan_approve_local_async (KcSession *self, JsonNode *params,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
/* plan.create */
void kc_session_plan_create_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
/* plan.get {id} */
void kc_session_plan_get_async (KcSession *self, gint64 id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
/* plan.list */
void kc_session_plan_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
/* plan.submit */
void kc_session_plan_submit_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
/* plan.withdraw */
void kc_session_plan_withdraw_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);

/* project.accept */
void kc_session_project_accept_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* project.cancel */
void kc_session_project_cancel_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* project.check */
void kc_session_project_check_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* project.copy */
void kc_session_project_copy_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
/* project.import */
void kc_session_project_import_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* project.list */
void kc_session_project_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
/* project.resubmit */
void kc_session_project_resubmit_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);

G_END_DECLS
