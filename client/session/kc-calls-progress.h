/*
 * kc-calls-progress.h — typed calls of KcSession: the life of an approved project: progress.*,
 * adjustment.*, typical_product.*.
 *
 * Each sends its method and finishes with kc_session_call_finish(). A read of
 * one record takes its id, a read without parameters none; the others take
 * @params, the method's parameters as an object (transfer none; NULL means {};
 * docs/protocol.md names them): those are KcCallFunc (kc-calls.h).
 */
#pragma once

#include "kc-session.h"

G_BEGIN_DECLS

/* progress.confirm */
void kc_session_progress_confirm_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* progress.list {project_id} */
void kc_session_progress_list_async (KcSession *self, gint64 project_id, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* progress.report */
void kc_session_progress_report_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* progress.return */
void kc_session_progress_return_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);

/* adjustment.decide */
void kc_session_adjustment_decide_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* adjustment.list {project_id} */
void kc_session_adjustment_list_async (KcSession *self, gint64 project_id,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
/* adjustment.request */
void kc_session_adjustment_request_async (KcSession *self, JsonNode *params,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);

/* typical_product.create */
void kc_session_typical_product_create_async (KcSession *self, JsonNode *params,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
/* typical_product.list {} */
void kc_session_typical_product_list_async (KcSession *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
/* typical_product.update */
void kc_session_typical_product_update_async (KcSession *self, JsonNode *params,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);

/* project.submit_acceptance */
void kc_session_project_submit_acceptance_async (KcSession *self, JsonNode *params,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);

G_END_DECLS
