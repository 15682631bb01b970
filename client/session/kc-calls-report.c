/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-calls-report.c — typed calls of KcSession (see kc-calls-report.h).
 */
#include "kc-calls-report.h"

void
kc_session_report_cost_estimate_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "report.cost_estimate", params, cancellable, callback, user_data);
}

void
kc_session_report_dashboard_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "report.dashboard", params, cancellable, callback, user_data);
}

void
kc_session_report_export_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "report.export", params, cancellable, callback, user_data);
}

void
kc_session_report_programme_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "report.programme", params, cancellable, callback, user_data);
}

void
kc_session_report_province_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "report.province", params, cancellable, callback, user_data);
}

void
kc_session_report_registration_list_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  kc_session_call_async (self, "report.registration_list", params, cancellable, callback,
                         user_data);
}

void
kc_session_report_round_report_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "report.round_report", params, cancellable, callback, user_data);
}

void
kc_session_report_summary_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "report.summary", params, cancellable, callback, user_data);
}

void
kc_session_programme_approve_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "programme.approve", params, cancellable, callback, user_data);
}

void
kc_session_programme_create_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "programme.create", params, cancellable, callback, user_data);
}

void
kc_session_programme_get_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "programme.get", params, cancellable, callback, user_data);
}

void
kc_session_programme_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "programme.list", params, cancellable, callback, user_data);
}

void
kc_session_programme_set_targets_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  kc_session_call_async (self, "programme.set_targets", params, cancellable, callback, user_data);
}

void
kc_session_programme_update_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "programme.update", params, cancellable, callback, user_data);
}

void
kc_session_round_consolidate_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "round.consolidate", params, cancellable, callback, user_data);
}

void
kc_session_round_create_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "round.create", params, cancellable, callback, user_data);
}

void
kc_session_round_get_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "round.get", params, cancellable, callback, user_data);
}

void
kc_session_round_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "round.list", params, cancellable, callback, user_data);
}

void
kc_session_round_report_accept_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "round.report_accept", params, cancellable, callback, user_data);
}

void
kc_session_round_report_get_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "round.report_get", params, cancellable, callback, user_data);
}

void
kc_session_round_report_return_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "round.report_return", params, cancellable, callback, user_data);
}

void
kc_session_round_report_send_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "round.report_send", params, cancellable, callback, user_data);
}

void
kc_session_round_report_update_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "round.report_update", params, cancellable, callback, user_data);
}

void
kc_session_programme_comments_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "programme.comments", params, cancellable, callback, user_data);
}

void
kc_session_programme_comment_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "programme.comment", params, cancellable, callback, user_data);
}
