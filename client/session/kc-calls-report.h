/*
 * kc-calls-report.h — typed calls of KcSession: reports, programmes and reporting rounds: report.*,
 * programme.*, round.*.
 *
 * Each sends its method and finishes with kc_session_call_finish(). A read of
 * one record takes its id, a read without parameters none; the others take
 * @params, the method's parameters as an object (transfer none; NULL means {};
 * docs/protocol.md names them): those are KcCallFunc (kc-calls.h).
 */
#pragma once

#include "kc-session.h"

G_BEGIN_DECLS

/* report.cost_estimate */
void kc_session_report_cost_estimate_async (KcSession *self, JsonNode *params,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
/* report.dashboard */
void kc_session_report_dashboard_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* report.export */
void kc_session_report_export_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* report.programme */
void kc_session_report_programme_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* report.province */
void kc_session_report_province_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* report.registration_list */
void kc_session_report_registration_list_async (KcSession *self, JsonNode *params,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
/* report.round_report */
void kc_session_report_round_report_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
/* report.summary */
void kc_session_report_summary_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);

/* programme.approve */
void kc_session_programme_approve_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* programme.create */
void kc_session_programme_create_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* programme.get */
void kc_session_programme_get_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* programme.list */
void kc_session_programme_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* programme.set_targets */
void kc_session_programme_set_targets_async (KcSession *self, JsonNode *params,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
/* programme.update */
void kc_session_programme_update_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);

/* round.consolidate */
void kc_session_round_consolidate_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* round.create */
void kc_session_round_create_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
/* round.get */
void kc_session_round_get_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
/* round.list */
void kc_session_round_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
/* round.report_accept */
void kc_session_round_report_accept_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
/* round.report_get */
void kc_session_round_report_get_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* round.report_return */
void kc_session_round_report_return_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
/* round.report_send */
void kc_session_round_report_send_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* round.report_update */
void kc_session_round_report_update_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);

/* programme.comments */
void kc_session_programme_comments_async (KcSession *self, JsonNode *params,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);

/* programme.comment */
void kc_session_programme_comment_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);

G_END_DECLS
