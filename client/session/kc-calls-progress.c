/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-calls-progress.c — typed calls of KcSession (see kc-calls-progress.h).
 */
#include "kc-calls-progress.h"

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
kc_session_progress_confirm_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "progress.confirm", params, cancellable, callback, user_data);
}

void
kc_session_progress_list_async (KcSession *self, gint64 project_id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_id (self, "progress.list", "project_id", project_id, cancellable, callback, user_data);
}

void
kc_session_progress_report_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "progress.report", params, cancellable, callback, user_data);
}

void
kc_session_progress_return_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "progress.return", params, cancellable, callback, user_data);
}

void
kc_session_adjustment_decide_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "adjustment.decide", params, cancellable, callback, user_data);
}

void
kc_session_adjustment_list_async (KcSession *self, gint64 project_id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_id (self, "adjustment.list", "project_id", project_id, cancellable, callback,
                user_data);
}

void
kc_session_adjustment_request_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "adjustment.request", params, cancellable, callback, user_data);
}

void
kc_session_typical_product_create_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  kc_session_call_async (self, "typical_product.create", params, cancellable, callback, user_data);
}

void
kc_session_typical_product_list_async (KcSession *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "typical_product.list", NULL, cancellable, callback, user_data);
}

void
kc_session_typical_product_update_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  kc_session_call_async (self, "typical_product.update", params, cancellable, callback, user_data);
}

void
kc_session_project_submit_acceptance_async (KcSession *self, JsonNode *params,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data)
{
  kc_session_call_async (self, "project.submit_acceptance", params, cancellable, callback,
                         user_data);
}
