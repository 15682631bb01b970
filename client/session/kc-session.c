/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-session.c — connection, TLS, JSON-RPC calls in order, events.
 */
#include "kc-session.h"

#include <glib/gi18n.h>

#include "kc-labels.h"

#include "kc-error.h"
#include "kc-frame.h"
#include "kc-rpc.h"

#define READ_CHUNK 65536
#define MAX_LINE (64 * 1024 * 1024)
#define CONNECT_TIMEOUT_S 15

typedef struct
{
  gint64 id;
  GTask *task;      /* (nullable): NULL for the session's own auth.resume */
  gboolean logs_in; /* auth.login or auth.resume */
  char *method;
  gint64 queued_us; /* monotonic: G_MESSAGES_DEBUG=kc-client times each call */
} Call;

typedef enum
{
  STATE_DISCONNECTED,
  STATE_CONNECTING,
  STATE_CONNECTED,
} State;

struct _KcSession
{
  GObject parent_instance;

  gint64 connect_us; /* monotonic, when the connection was asked for (g_debug) */

  char *host;
  guint16 port;
  char *ca_file;
  char *peer_fingerprint;

  State state;
  guint generation; /* bumped on every close: stale callbacks check it */
  GCancellable *io_cancellable;
  GIOStream *stream;
  KcFrameReader *reader;
  guint8 *read_buffer;

  gint64 next_id;
  GQueue outgoing; /* char* lines waiting to be written */
  gboolean writing;
  GQueue inflight; /* Call*, in the order sent */

  char *token;
  char *username;
  char *full_name;
  char *role;
  gint64 user_id;
  gint64 org_id;
  gboolean must_enrol_totp; /* the login said: enrol a second factor first */
  gboolean must_change_password;
};

enum
{
  SIGNAL_EVENT,
  SIGNAL_SESSION_ENDED,
  SIGNAL_DISCONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_TYPE (KcSession, kc_session, G_TYPE_OBJECT)
G_DEFINE_QUARK (kc_session_error, kc_session_error)

static void start_connect (KcSession *self);
static void start_read (KcSession *self);
static void flush_outgoing (KcSession *self);

/* Helpers */

static void
call_free (Call *call)
{
  g_clear_object (&call->task);
  g_free (call->method);
  g_free (call);
}

static void
clear_user (KcSession *self)
{
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->full_name, g_free);
  g_clear_pointer (&self->role, g_free);
  self->user_id = 0;
  self->org_id = 0;
  self->must_enrol_totp = FALSE;
  self->must_change_password = FALSE;
}

static void
fail_all (KcSession *self, GError *error)
{
  Call *call;

  g_queue_clear_full (&self->outgoing, g_free);
  while ((call = g_queue_pop_head (&self->inflight)) != NULL)
    {
      if (call->task != NULL)
        g_task_return_error (call->task, g_error_copy (error));
      call_free (call);
    }
}

static void
drop_connection (KcSession *self, GError *error)
{
  gboolean was_connected = self->state == STATE_CONNECTED;

  self->generation++;
  if (self->io_cancellable != NULL)
    g_cancellable_cancel (self->io_cancellable);
  g_clear_object (&self->io_cancellable);
  if (self->stream != NULL)
    g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->reader, kc_frame_reader_free);
  self->writing = FALSE;
  self->state = STATE_DISCONNECTED;

  fail_all (self, error);
  if (was_connected)
    g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0);
}

static char *
fingerprint_of (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  GString *out;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  out = g_string_new (NULL);
  for (gsize i = 0; hex[i] != '\0'; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
      g_string_append_c (out, g_ascii_toupper (hex[i + 1]));
    }
  return g_string_free (out, FALSE);
}

static void
set_user_from (KcSession *self, JsonObject *result)
{
  JsonObject *user = json_object_get_object_member (result, "user");

  if (json_object_has_member (result, "token"))
    {
      g_free (self->token);
      self->token = g_strdup (json_object_get_string_member (result, "token"));
    }
  self->must_enrol_totp
      = json_object_get_boolean_member_with_default (result, "must_enrol_totp", FALSE);
  if (json_object_has_member (result, "must_change_password"))
    self->must_change_password
        = json_object_get_boolean_member_with_default (result, "must_change_password", FALSE);
  if (user == NULL)
    return;
  g_free (self->username);
  self->username = g_strdup (json_object_get_string_member_with_default (user, "username", ""));
  g_free (self->full_name);
  self->full_name = g_strdup (json_object_get_string_member_with_default (user, "full_name", ""));
  g_free (self->role);
  self->role = g_strdup (json_object_get_string_member_with_default (user, "role", ""));
  self->user_id = json_object_get_int_member_with_default (user, "id", 0);
  self->org_id = json_object_get_int_member_with_default (user, "org_id", 0);
}

/* Queues a request; returns its Call (owned by the in-flight queue). */
static Call *
enqueue (KcSession *self, const char *method, JsonNode *params, GTask *task, gboolean at_head)
{
  g_autoptr (JsonNode) empty = NULL;
  Call *call = g_new0 (Call, 1);
  char *line;

  if (params == NULL)
    {
      empty = json_node_init_object (json_node_alloc (), json_object_new ());
      params = empty;
    }
  call->id = self->next_id++;
  call->task = task != NULL ? g_object_ref (task) : NULL;
  call->logs_in = g_str_equal (method, "auth.login") || g_str_equal (method, "auth.resume");
  call->method = g_strdup (method);
  call->queued_us = g_get_monotonic_time ();
  line = kc_rpc_build_request (call->id, method, params, NULL);
  if (at_head)
    {
      g_queue_push_head (&self->outgoing, line);
      g_queue_push_head (&self->inflight, call);
    }
  else
    {
      g_queue_push_tail (&self->outgoing, line);
      g_queue_push_tail (&self->inflight, call);
    }
  return call;
}

static void
send_request (KcSession *self, const char *method, JsonNode *params, GTask *task)
{
  gboolean is_auth = g_str_equal (method, "auth.login") || g_str_equal (method, "auth.resume");

  enqueue (self, method, params, task, FALSE);
  switch (self->state)
    {
      case STATE_CONNECTED:
        flush_outgoing (self);
        break;
      case STATE_CONNECTING:
        break;
      case STATE_DISCONNECTED:
        /* A new connection is not logged in: resume first, ahead of @method. */
        if (self->token != NULL && !is_auth)
          {
            g_autoptr (JsonObject) params_obj = json_object_new ();
            g_autoptr (JsonNode) node = json_node_alloc ();

            json_object_set_string_member (params_obj, "token", self->token);
            json_node_init_object (node, params_obj);
            enqueue (self, "auth.resume", node, NULL, TRUE);
          }
        start_connect (self);
        break;
      default:
        g_assert_not_reached ();
    }
}

static void
handle_line (KcSession *self, const char *line, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KcResponse) response = kc_response_parse (line, len, &error);
  Call *call;

  if (response == NULL)
    {
      g_autoptr (GError) bad
          = g_error_new (KC_SESSION_ERROR, KC_SESSION_ERROR_BAD_REPLY,
                         _ ("The server sent an invalid message: %s"), error->message);
      drop_connection (self, bad);
      return;
    }

  if (response->is_notification)
    {
      JsonObject *params = response->params != NULL && JSON_NODE_HOLDS_OBJECT (response->params)
                               ? json_node_get_object (response->params)
                               : NULL;
      const char *topic
          = params != NULL ? json_object_get_string_member_with_default (params, "topic", "") : "";
      const char *status
          = params != NULL ? json_object_get_string_member_with_default (params, "status", "") : "";

      g_signal_emit (self, signals[SIGNAL_EVENT], 0, topic, response->params);
      if (g_str_equal (topic, "session") && self->token != NULL)
        {
          g_autofree char *status_copy = g_strdup (status);

          clear_user (self);
          g_signal_emit (self, signals[SIGNAL_SESSION_ENDED], 0, status_copy);
        }
      return;
    }

  /* A reply with id null is a connection-level error (line too long, login
   * timeout): the server closes the connection after it. */
  if (response->id == NULL || JSON_NODE_HOLDS_NULL (response->id))
    {
      g_autoptr (GError) dropped
          = g_error_new_literal (KC_PROTOCOL_ERROR, response->error_code,
                                 response->error_message ? response->error_message : "");
      drop_connection (self, dropped);
      return;
    }

  call = g_queue_pop_head (&self->inflight);
  if (call == NULL || json_node_get_int (response->id) != call->id)
    {
      g_autoptr (GError) bad = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_BAD_REPLY,
                                                    _ ("The server answered out of order"));
      if (call != NULL)
        g_queue_push_head (&self->inflight, call);
      drop_connection (self, bad);
      return;
    }

  /* Where a screen's time goes: queued to answered, per call (issue 17,
   * point 7; tests/bench/client-screens). */
  g_debug ("%s #%" G_GINT64_FORMAT ": %.1f ms, %zu bytes", call->method, call->id,
           (g_get_monotonic_time () - call->queued_us) / 1000.0, (size_t)len);
  if (call->task == NULL)
    {
      /* Our own auth.resume: a failure means the session is over. */
      if (response->error_code != 0 && self->token != NULL)
        {
          clear_user (self);
          g_signal_emit (self, signals[SIGNAL_SESSION_ENDED], 0, "expired");
        }
    }
  else if (response->error_code != 0)
    {
      if (response->error_data != NULL)
        g_task_set_task_data (call->task, json_node_copy (response->error_data),
                              (GDestroyNotify)json_node_unref);
      g_task_return_new_error (call->task, KC_PROTOCOL_ERROR, response->error_code, "%s",
                               response->error_message ? response->error_message : "");
    }
  else
    {
      g_task_return_pointer (call->task, g_steal_pointer (&response->result),
                             (GDestroyNotify)json_node_unref);
    }
  call_free (call);
}

/* Callbacks */

static void
write_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KcSession) self = user_data;
  g_autoptr (GError) error = NULL;
  guint generation = GPOINTER_TO_UINT (g_object_get_data (source, "kc-generation"));

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (generation == self->generation)
        {
          g_autoptr (GError) dropped
              = g_error_new (KC_SESSION_ERROR, KC_SESSION_ERROR_DISCONNECTED,
                             _ ("The connection to the server was lost: %s"), error->message);
          drop_connection (self, dropped);
        }
      return;
    }
  if (generation != self->generation)
    return;
  g_free (g_queue_pop_head (&self->outgoing));
  self->writing = FALSE;
  flush_outgoing (self);
}

static void
flush_outgoing (KcSession *self)
{
  GOutputStream *out;
  const char *line;

  if (self->writing || self->state != STATE_CONNECTED)
    return;
  line = g_queue_peek_head (&self->outgoing);
  if (line == NULL)
    return;
  out = g_io_stream_get_output_stream (self->stream);
  g_object_set_data (G_OBJECT (out), "kc-generation", GUINT_TO_POINTER (self->generation));
  self->writing = TRUE;
  g_output_stream_write_all_async (out, line, strlen (line), G_PRIORITY_DEFAULT,
                                   self->io_cancellable, write_done_cb, g_object_ref (self));
}

static void
read_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KcSession) self = user_data;
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  char *line;
  gsize len;
  guint generation = self->generation;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n <= 0)
    {
      g_autoptr (GError) dropped
          = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_DISCONNECTED,
                                 _ ("The connection to the server was lost"));
      drop_connection (self, dropped);
      return;
    }
  kc_frame_reader_feed (self->reader, (const char *)self->read_buffer, (gsize)n);
  for (;;)
    {
      KcFrameStatus status = kc_frame_reader_next (self->reader, &line, &len);

      if (status == KC_FRAME_NEED_MORE)
        break;
      if (status == KC_FRAME_TOO_LONG)
        {
          g_autoptr (GError) bad
              = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_BAD_REPLY,
                                     _ ("The server sent a message that is too long"));
          drop_connection (self, bad);
          return;
        }
      handle_line (self, line, len);
      g_free (line);
      if (generation != self->generation) /* dropped while handling */
        return;
    }
  start_read (self);
}

static void
start_read (KcSession *self)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream), self->read_buffer,
                             READ_CHUNK, G_PRIORITY_DEFAULT, self->io_cancellable, read_done_cb,
                             g_object_ref (self));
}

static gboolean
accept_certificate_cb (GTlsConnection *conn, GTlsCertificate *peer, GTlsCertificateFlags errors,
                       gpointer user_data)
{
  KcSession *self = user_data;

  g_free (self->peer_fingerprint);
  self->peer_fingerprint = fingerprint_of (peer);
  g_object_set_data (G_OBJECT (conn), "kc-cert-errors", GUINT_TO_POINTER (errors));
  return FALSE;
}

static void
handshake_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KcSession) self = user_data;
  g_autoptr (GError) error = NULL;
  GTlsConnection *tls = G_TLS_CONNECTION (source);

  if (!g_tls_connection_handshake_finish (tls, result, &error))
    {
      guint flags = GPOINTER_TO_UINT (g_object_get_data (source, "kc-cert-errors"));
      g_autoptr (GError) failure = NULL;

      g_object_unref (source);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
        failure = g_error_new (KC_SESSION_ERROR, KC_SESSION_ERROR_MISMATCHED_CERTIFICATE,
                               "certificate of %s does not match its name (SHA-256 %s)", self->host,
                               self->peer_fingerprint);
      else if (flags != 0)
        failure = g_error_new (KC_SESSION_ERROR, KC_SESSION_ERROR_UNTRUSTED_CERTIFICATE,
                               "certificate of %s is not trusted (SHA-256 %s)", self->host,
                               self->peer_fingerprint);
      else
        failure = g_error_new (KC_SESSION_ERROR, KC_SESSION_ERROR_TLS,
                               "TLS handshake with %s failed: %s", self->host, error->message);
      self->state = STATE_CONNECTING; /* drop_connection must not emit */
      drop_connection (self, failure);
      return;
    }

  g_free (self->peer_fingerprint);
  self->peer_fingerprint = fingerprint_of (g_tls_connection_get_peer_certificate (tls));
  self->stream = G_IO_STREAM (source); /* takes the reference */
  self->reader = kc_frame_reader_new (MAX_LINE);
  self->state = STATE_CONNECTED;
  g_debug ("connected to %s with TLS in %.1f ms", self->host,
           (g_get_monotonic_time () - self->connect_us) / 1000.0);
  start_read (self);
  flush_outgoing (self);
}

static void
connect_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KcSession) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) conn
      = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  g_autoptr (GSocketConnectable) identity = NULL;
  g_autoptr (GTlsDatabase) database = NULL;
  GIOStream *tls;

  if (conn == NULL)
    {
      g_autoptr (GError) failure = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      failure
          = g_error_new (KC_SESSION_ERROR, KC_SESSION_ERROR_UNREACHABLE,
                         "could not connect to %s:%u: %s", self->host, self->port, error->message);
      drop_connection (self, failure);
      return;
    }

  if (self->ca_file != NULL && self->ca_file[0] != '\0')
    {
      database = g_tls_file_database_new (self->ca_file, &error);
      if (database == NULL)
        {
          g_autoptr (GError) failure
              = g_error_new (KC_SESSION_ERROR, KC_SESSION_ERROR_TLS,
                             "could not read CA file \"%s\": %s", self->ca_file, error->message);
          drop_connection (self, failure);
          return;
        }
    }

  identity = g_network_address_new (self->host, self->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (conn), identity, &error);
  if (tls == NULL)
    {
      g_autoptr (GError) failure = g_error_new (
          KC_SESSION_ERROR, KC_SESSION_ERROR_TLS,
          "TLS is not available (is glib-networking installed?): %s", error->message);
      drop_connection (self, failure);
      return;
    }
  if (database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), self);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    self->io_cancellable, handshake_done_cb, g_object_ref (self));
}

static void
start_connect (KcSession *self)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();

  g_return_if_fail (self->state == STATE_DISCONNECTED);

  if (self->host == NULL)
    {
      g_autoptr (GError) failure = g_error_new_literal (
          KC_SESSION_ERROR, KC_SESSION_ERROR_UNREACHABLE, "no server address given");
      fail_all (self, failure);
      return;
    }
  self->state = STATE_CONNECTING;
  self->connect_us = g_get_monotonic_time ();
  self->io_cancellable = g_cancellable_new ();
  self->read_buffer = self->read_buffer ? self->read_buffer : g_malloc (READ_CHUNK);
  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_S);
  g_socket_client_connect_to_host_async (client, self->host, self->port, self->io_cancellable,
                                         connect_done_cb, g_object_ref (self));
}

static void
login_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  KcSession *self = KC_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (self, result, &data, &error);

  if (reply == NULL)
    {
      if (data != NULL)
        g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify)json_node_unref);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_task_return_new_error (task, KC_SESSION_ERROR, KC_SESSION_ERROR_BAD_REPLY,
                               "auth reply is not an object");
      return;
    }
  set_user_from (self, json_node_get_object (reply));
  g_task_return_boolean (task, TRUE);
}

static gboolean
login_pending (KcSession *self)
{
  for (GList *l = self->inflight.head; l != NULL; l = l->next)
    if (((Call *)l->data)->logs_in)
      return TRUE;
  return FALSE;
}

static void
logout_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  KcSession *self = KC_SESSION (source);
  g_autoptr (JsonNode) reply = kc_session_call_finish (self, result, NULL, NULL);

  /* A fresh connection for whoever logs in next — unless someone already
   * does: a login sent while the logout was on its way is behind it on this
   * connection, and closing now would fail it (seen as a login that never
   * reached its code prompt, in client-totp-ui). */
  if (!login_pending (self))
    kc_session_close (self);
  g_task_return_boolean (task, TRUE);
}

/* GObject overrides */

static void
kc_session_dispose (GObject *object)
{
  KcSession *self = KC_SESSION (object);
  g_autoptr (GError) error
      = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_DISCONNECTED, "session closed");

  self->state = STATE_CONNECTING; /* no "disconnected" during dispose */
  drop_connection (self, error);
  G_OBJECT_CLASS (kc_session_parent_class)->dispose (object);
}

static void
kc_session_finalize (GObject *object)
{
  KcSession *self = KC_SESSION (object);

  clear_user (self);
  g_free (self->host);
  g_free (self->ca_file);
  g_free (self->peer_fingerprint);
  g_free (self->read_buffer);
  G_OBJECT_CLASS (kc_session_parent_class)->finalize (object);
}

static void
kc_session_class_init (KcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kc_session_dispose;
  object_class->finalize = kc_session_finalize;

  /* ::event (topic, params): a server notification; unknown topics are the
   * listener's to ignore. */
  signals[SIGNAL_EVENT]
      = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_NODE);
  /* ::session-ended (status): "revoked" or "expired"; log in again. */
  signals[SIGNAL_SESSION_ENDED]
      = g_signal_new ("session-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_DISCONNECTED]
      = g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
kc_session_init (KcSession *self)
{
  self->next_id = 1;
  self->port = 8474;
  g_queue_init (&self->outgoing);
  g_queue_init (&self->inflight);
}

/* Public API */

KcSession *
kc_session_new (void)
{
  return g_object_new (KC_TYPE_SESSION, NULL);
}

void
kc_session_set_server (KcSession *self, const char *host, guint16 port, const char *ca_file)
{
  g_return_if_fail (KC_IS_SESSION (self));
  g_return_if_fail (host != NULL);

  if (g_strcmp0 (self->host, host) != 0 || self->port != port
      || g_strcmp0 (self->ca_file, ca_file) != 0)
    kc_session_close (self);
  g_free (self->host);
  self->host = g_strdup (host);
  self->port = port;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

const char *
kc_session_get_host (KcSession *self)
{
  return self->host;
}

guint16
kc_session_get_port (KcSession *self)
{
  return self->port;
}

const char *
kc_session_get_peer_fingerprint (KcSession *self)
{
  g_return_val_if_fail (KC_IS_SESSION (self), NULL);
  return self->peer_fingerprint;
}

void
kc_session_call_async (KcSession *self, const char *method, JsonNode *params,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (KC_IS_SESSION (self));
  g_return_if_fail (method != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kc_session_call_async);
  send_request (self, method, params, task);
}

JsonNode *
kc_session_call_finish (KcSession *self, GAsyncResult *result, JsonNode **error_data,
                        GError **error)
{
  JsonNode *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (error_data != NULL)
    *error_data = data != NULL ? json_node_copy (data) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kc_session_login_async (KcSession *self, const char *username, const char *password,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_login_with_code_async (self, username, password, NULL, cancellable, callback,
                                    user_data);
}

gboolean
kc_session_get_must_enrol_totp (KcSession *self)
{
  g_return_val_if_fail (KC_IS_SESSION (self), FALSE);
  return self->must_enrol_totp;
}

void
kc_session_login_with_code_async (KcSession *self, const char *username, const char *password,
                                  const char *otp, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = json_node_alloc ();
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  json_object_set_string_member (params, "username", username);
  json_object_set_string_member (params, "password", password);
  if (otp != NULL)
    json_object_set_string_member (params, "otp", otp);
  json_node_init_object (node, params);
  clear_user (self);
  kc_session_call_async (self, "auth.login", node, cancellable, login_done_cb, task);
}

gboolean
kc_session_login_finish (KcSession *self, GAsyncResult *result, JsonNode **error_data,
                         GError **error)
{
  JsonNode *data = g_task_get_task_data (G_TASK (result));

  if (error_data != NULL)
    *error_data = data != NULL ? json_node_copy (data) : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kc_session_resume_async (KcSession *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = json_node_alloc ();
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  if (self->token == NULL)
    {
      g_task_return_new_error (task, KC_PROTOCOL_ERROR, KC_ERROR_NOT_LOGGED_IN,
                               "no session to resume");
      g_object_unref (task);
      return;
    }
  json_object_set_string_member (params, "token", self->token);
  json_node_init_object (node, params);
  kc_session_call_async (self, "auth.resume", node, cancellable, login_done_cb, task);
}

gboolean
kc_session_resume_finish (KcSession *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kc_session_logout_async (KcSession *self, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  if (self->token == NULL || self->state != STATE_CONNECTED)
    {
      clear_user (self);
      kc_session_close (self);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  clear_user (self);
  kc_session_call_async (self, "auth.logout", NULL, NULL, logout_done_cb, task);
}

void
kc_session_logout_finish (KcSession *self, GAsyncResult *result)
{
  g_task_propagate_boolean (G_TASK (result), NULL);
}

void
kc_session_close (KcSession *self)
{
  g_autoptr (GError) error
      = g_error_new_literal (KC_SESSION_ERROR, KC_SESSION_ERROR_DISCONNECTED, "connection closed");

  g_return_if_fail (KC_IS_SESSION (self));
  if (self->state == STATE_DISCONNECTED)
    return;
  self->state = STATE_CONNECTING; /* a wanted close is not a "disconnected" */
  drop_connection (self, error);
}

gboolean
kc_session_is_logged_in (KcSession *self)
{
  return self->token != NULL;
}

const char *
kc_session_get_username (KcSession *self)
{
  return self->username;
}

const char *
kc_session_get_full_name (KcSession *self)
{
  return self->full_name;
}

const char *
kc_session_get_role (KcSession *self)
{
  return self->role;
}

gint64
kc_session_get_user_id (KcSession *self)
{
  return self->user_id;
}

gint64
kc_session_get_org_id (KcSession *self)
{
  return self->org_id;
}

gboolean
kc_session_get_must_change_password (KcSession *self)
{
  return self->must_change_password;
}

void
kc_session_password_changed (KcSession *self)
{
  self->must_change_password = FALSE;
}

const char *
kc_role_display_name (const char *role)
{
  return kc_label_role (role);
}
