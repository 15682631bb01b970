/*
 * kc-session.h — the only object of kc-client that talks to kc-server.
 *
 * One TLS connection (GIO, glib-networking at run time), JSON-RPC 2.0 one
 * message per line (common/). Calls are asynchronous, sent in order and
 * answered in order; several may be in flight. A dropped connection is
 * reopened by the next call, which then resumes the session first.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Transport problems; server errors are in KC_PROTOCOL_ERROR (kc-error.h)
 * with the JSON-RPC code as the GError code. */
#define KC_SESSION_ERROR (kc_session_error_quark ())
GQuark kc_session_error_quark (void);

typedef enum
{
  KC_SESSION_ERROR_UNREACHABLE,            /* could not connect */
  KC_SESSION_ERROR_UNTRUSTED_CERTIFICATE,  /* not signed by the CA; see peer fingerprint */
  KC_SESSION_ERROR_MISMATCHED_CERTIFICATE, /* signed, but for another host name */
  KC_SESSION_ERROR_TLS,                    /* another handshake failure */
  KC_SESSION_ERROR_DISCONNECTED,           /* the connection dropped before the reply */
  KC_SESSION_ERROR_BAD_REPLY,              /* the server sent something unparsable */
} KcSessionError;

#define KC_TYPE_SESSION (kc_session_get_type ())
G_DECLARE_FINAL_TYPE (KcSession, kc_session, KC, SESSION, GObject)

KcSession *kc_session_new (void);

/* Where to connect. @ca_file: a PEM file of trusted CAs, or NULL for the
 * system store. Takes effect at the next connection. */
void kc_session_set_server (KcSession *self, const char *host, guint16 port, const char *ca_file);
const char *kc_session_get_host (KcSession *self);
guint16 kc_session_get_port (KcSession *self);

/* The SHA-256 fingerprint ("AB:CD:…") of the certificate the server showed
 * in the last handshake, or NULL. */
const char *kc_session_get_peer_fingerprint (KcSession *self);

/* Sends @method with @params (transfer none; NULL means {}). The result is
 * the "result" member; on a JSON-RPC error the GError is in
 * KC_PROTOCOL_ERROR with the code, and *@error_data (if not NULL) receives
 * the error's "data" (transfer full, nullable). */
void kc_session_call_async (KcSession *self, const char *method, JsonNode *params,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
JsonNode *kc_session_call_finish (KcSession *self, GAsyncResult *result, JsonNode **error_data,
                                  GError **error);

/* auth.login; on success the session keeps the token and the user. */
void kc_session_login_async (KcSession *self, const char *username, const char *password,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean kc_session_login_finish (KcSession *self, GAsyncResult *result, JsonNode **error_data,
                                  GError **error);
/* The same with the second factor (@otp: nullable), after auth.login
 * answered 1031; finish with kc_session_login_finish(). */
void kc_session_login_with_code_async (KcSession *self, const char *username, const char *password,
                                       const char *otp, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* The last login or resume said the role needs a second factor the user
 * has not enrolled: only auth.* until it is (kc-totp-dialog). */
gboolean kc_session_get_must_enrol_totp (KcSession *self);

/* auth.resume with the kept token on a new connection (done automatically
 * by the next call after a dropped connection). */
void kc_session_resume_async (KcSession *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
gboolean kc_session_resume_finish (KcSession *self, GAsyncResult *result, GError **error);

/* auth.logout, then closes the connection and forgets the token; never fails
 * from the caller's point of view. */
void kc_session_logout_async (KcSession *self, GAsyncReadyCallback callback, gpointer user_data);
void kc_session_logout_finish (KcSession *self, GAsyncResult *result);

/* Closes the connection; in-flight calls fail with DISCONNECTED. */
void kc_session_close (KcSession *self);

gboolean kc_session_is_logged_in (KcSession *self);
const char *kc_session_get_username (KcSession *self);
const char *kc_session_get_full_name (KcSession *self);
const char *kc_session_get_role (KcSession *self);
gint64 kc_session_get_user_id (KcSession *self);
gint64 kc_session_get_org_id (KcSession *self);
/* TRUE while the server refuses everything but auth.* until the password is
 * changed (auth.login/auth.resume say so); kc_session_password_changed()
 * records a successful auth.change_password. */
gboolean kc_session_get_must_change_password (KcSession *self);
void kc_session_password_changed (KcSession *self);

/* The Vietnamese (translated) name of a role, e.g. "Quản trị hệ thống". */
const char *kc_role_display_name (const char *role);

G_END_DECLS
