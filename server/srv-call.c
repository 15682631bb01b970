/*
 * srv-call.c — the life of one call: created for a request, carried to a
 * worker, its outcome set by the handler.
 */
#include "srv-call.h"

#include "srv-crypto.h"
#include "srv-log.h"

SrvCall *
srv_call_new (SrvContext *ctx, const SrvMethod *method, JsonObject *params, SrvSession *session)
{
  SrvCall *call = g_new0 (SrvCall, 1);

  call->ctx = ctx;
  call->method = method;
  call->params = json_object_ref (params);
  call->session = session != NULL ? srv_session_ref (session) : NULL;
  return call;
}

void
srv_call_free (SrvCall *call)
{
  if (call == NULL)
    return;
  json_object_unref (call->params);
  g_clear_pointer (&call->session, srv_session_unref);
  g_clear_pointer (&call->new_session, srv_session_unref);
  g_free (call->peer);
  g_free (call->peer_full);
  g_free (call->request_id);
  g_free (call->result_json);
  g_free (call->error_message);
  g_clear_pointer (&call->error_data, json_node_unref);
  if (call->scratch_free != NULL)
    call->scratch_free (call->scratch);
  g_free (call->deferred_params[0]);
  g_free (call->deferred_params[1]);
  g_free (call);
}

gboolean
srv_call_refusal_audited (const SrvCall *call)
{
  return call->error_code == KC_ERROR_FORBIDDEN || call->error_code == KC_ERROR_NOT_FOUND
         || (call->error_code == KC_ERROR_SESSION_EXPIRED
             && g_str_equal (call->method->name, "auth.resume"));
}

void
srv_call_continue (SrvCall *call, SrvHandler handler, gboolean on_cpu)
{
  call->next = handler;
  call->next_on_cpu = on_cpu;
}

void
srv_call_set_result (SrvCall *call, char *json)
{
  g_free (call->result_json);
  call->result_json = json;
}

void
srv_call_set_result_node (SrvCall *call, JsonNode *node)
{
  srv_call_set_result (call, kc_json_to_string (node, FALSE));
  json_node_unref (node);
}

void
srv_call_set_error (SrvCall *call, int code, JsonNode *data, const char *format, ...)
{
  va_list args;

  g_free (call->error_message);
  g_clear_pointer (&call->error_data, json_node_unref);
  call->error_code = code;
  va_start (args, format);
  call->error_message = g_strdup_vprintf (format, args);
  va_end (args);
  call->error_data = data;
}

void
srv_call_set_violation (SrvCall *call, const char *field, const char *rule, const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "violations");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, field);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, rule);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  srv_call_set_error (call, KC_ERROR_RULE, json_builder_get_root (b), "%s", message);
}

void
srv_call_set_conflict (SrvCall *call, gint64 current_version)
{
  JsonObject *data = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (data, "current_version", current_version);
  json_node_take_object (node, data);
  srv_call_set_error (call, KC_ERROR_CONFLICT, node,
                      "the record was changed by someone else (now at version %" G_GINT64_FORMAT
                      ")",
                      current_version);
}

void
srv_call_set_db_error (SrvCall *call, const GError *error)
{
  if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_UNAVAILABLE))
    {
      JsonObject *data = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_int_member (data, "retry_after", 5);
      json_node_take_object (node, data);
      srv_log (SRV_LOG_WARNING, call->conn_id, call->peer_full, call->request_id, "%s: %s",
               call->method->name, error->message);
      srv_call_set_error (call, KC_ERROR_UNAVAILABLE, node,
                          "the database is temporarily unavailable; try again");
    }
  else
    {
      g_autofree char *incident = srv_crypto_incident_id ();
      JsonObject *data = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (data, "incident", incident);
      json_node_take_object (node, data);
      srv_log (SRV_LOG_ERROR, call->conn_id, call->peer_full, call->request_id,
               "incident %s in %s: %s", incident, call->method->name, error->message);
      srv_call_set_error (call, KC_ERROR_INTERNAL, node, "internal error (incident %s)", incident);
    }
}

gboolean
srv_call_failed (SrvCall *call)
{
  return call->error_code != 0;
}

/* Parameters */
