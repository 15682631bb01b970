/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-calls-plan.c — typed calls of KcSession (see kc-calls-plan.h).
 */
#include "kc-calls-plan.h"

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
kc_session_plan_appraise_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "plan.appraise", params, cancellable, callback, user_data);
}

void
kc_session_plan_approve_local_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "plan.approve_local", params, cancellable, callback, user_data);
}

void
kc_session_plan_create_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "plan.create", params, cancellable, callback, user_data);
}

void
kc_session_plan_get_async (KcSession *self, gint64 id, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_id (self, "plan.get", "id", id, cancellable, callback, user_data);
}

void
kc_session_plan_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "plan.list", params, cancellable, callback, user_data);
}

void
kc_session_plan_submit_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "plan.submit", params, cancellable, callback, user_data);
}

void
kc_session_plan_withdraw_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "plan.withdraw", params, cancellable, callback, user_data);
}

void
kc_session_project_accept_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "project.accept", params, cancellable, callback, user_data);
}

void
kc_session_project_cancel_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "project.cancel", params, cancellable, callback, user_data);
}

void
kc_session_project_check_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "project.check", params, cancellable, callback, user_data);
}

void
kc_session_project_copy_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "project.copy", params, cancellable, callback, user_data);
}

void
kc_session_project_import_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "project.import", params, cancellable, callback, user_data);
}

void
kc_session_project_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "project.list", params, cancellable, callback, user_data);
}

void
kc_session_project_resubmit_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "project.resubmit", params, cancellable, callback, user_data);
}
