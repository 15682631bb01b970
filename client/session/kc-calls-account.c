/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-calls-account.c — typed calls of KcSession (see kc-calls-account.h).
 */
#include "kc-calls-account.h"

void
kc_session_auth_change_password_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "auth.change_password", params, cancellable, callback, user_data);
}

void
kc_session_auth_totp_begin_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "auth.totp_begin", params, cancellable, callback, user_data);
}

void
kc_session_auth_totp_confirm_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "auth.totp_confirm", params, cancellable, callback, user_data);
}

void
kc_session_auth_totp_disable_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "auth.totp_disable", params, cancellable, callback, user_data);
}

void
kc_session_user_create_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "user.create", params, cancellable, callback, user_data);
}

void
kc_session_user_disable_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "user.disable", params, cancellable, callback, user_data);
}

void
kc_session_user_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "user.list", params, cancellable, callback, user_data);
}

void
kc_session_user_reset_password_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "user.reset_password", params, cancellable, callback, user_data);
}

void
kc_session_user_reviewers_async (KcSession *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "user.reviewers", NULL, cancellable, callback, user_data);
}

void
kc_session_user_update_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "user.update", params, cancellable, callback, user_data);
}

void
kc_session_org_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "org.list", params, cancellable, callback, user_data);
}

void
kc_session_audit_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "audit.list", params, cancellable, callback, user_data);
}

void
kc_session_catalog_add_cap_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "catalog.add_cap", params, cancellable, callback, user_data);
}

void
kc_session_catalog_communes_async (KcSession *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (JsonObject) none = json_object_new ();
  g_autoptr (JsonNode) params = json_node_init_object (json_node_alloc (), none);

  kc_session_call_async (self, "catalog.communes", params, cancellable, callback, user_data);
}

void
kc_session_catalog_get_async (KcSession *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "catalog.get", NULL, cancellable, callback, user_data);
}

void
kc_session_catalog_update_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "catalog.update", params, cancellable, callback, user_data);
}

void
kc_session_events_subscribe_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "events.subscribe", params, cancellable, callback, user_data);
}

void
kc_session_inbox_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "inbox.list", params, cancellable, callback, user_data);
}

void
kc_session_inbox_mark_seen_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "inbox.mark_seen", params, cancellable, callback, user_data);
}
