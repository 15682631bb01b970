/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-calls.c — typed calls of KcSession (see kc-calls.h).
 */
#include "kc-calls.h"

/* Helpers */

static void
call_with_object (KcSession *self, const char *method, JsonObject *params,
                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), params);

  kc_session_call_async (self, method, node, cancellable, callback, user_data);
}

/* Public API */

void
kc_session_project_get_async (KcSession *self, gint64 id, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (JsonObject) params = json_object_new ();

  json_object_set_int_member (params, "id", id);
  call_with_object (self, "project.get", params, cancellable, callback, user_data);
}

void
kc_session_project_create_async (KcSession *self, JsonObject *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_object (self, "project.create", params, cancellable, callback, user_data);
}

void
kc_session_project_update_async (KcSession *self, JsonObject *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_object (self, "project.update", params, cancellable, callback, user_data);
}
