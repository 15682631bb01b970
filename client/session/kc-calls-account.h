/*
 * kc-calls-account.h — typed calls of KcSession: accounts and reference data: auth.* (beyond login,
 * kc-session.h), user.*, org.list, audit.list, catalog.*, events.subscribe, inbox.*.
 *
 * Each sends its method and finishes with kc_session_call_finish(). A read of
 * one record takes its id, a read without parameters none; the others take
 * @params, the method's parameters as an object (transfer none; NULL means {};
 * docs/protocol.md names them): those are KcCallFunc (kc-calls.h).
 */
#pragma once

#include "kc-session.h"

G_BEGIN_DECLS

/* auth.change_password */
void kc_session_auth_change_password_async (KcSession *self, JsonNode *params,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
/* auth.totp_begin */
void kc_session_auth_totp_begin_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* auth.totp_confirm */
void kc_session_auth_totp_confirm_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* auth.totp_disable */
void kc_session_auth_totp_disable_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);

/* user.create */
void kc_session_user_create_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
/* user.disable */
void kc_session_user_disable_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
/* user.list */
void kc_session_user_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
/* user.reset_password */
void kc_session_user_reset_password_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
/* user.reviewers {} */
void kc_session_user_reviewers_async (KcSession *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* user.update */
void kc_session_user_update_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);

/* org.list */
void kc_session_org_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);

/* audit.list */
void kc_session_audit_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);

/* catalog.add_cap */
void kc_session_catalog_add_cap_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* catalog.communes {} (every commune of the caller's province's projects) */
void kc_session_catalog_communes_async (KcSession *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
/* catalog.get {} */
void kc_session_catalog_get_async (KcSession *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
/* catalog.update */
void kc_session_catalog_update_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);

/* events.subscribe */
void kc_session_events_subscribe_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);

/* inbox.list */
void kc_session_inbox_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
/* inbox.mark_seen */
void kc_session_inbox_mark_seen_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);

G_END_DECLS
