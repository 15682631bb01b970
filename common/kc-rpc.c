/*
 * kc-rpc.c — the JSON-RPC 2.0 envelope: requests parsed and checked,
 * results, errors and notifications built, responses read, -32602 field
 * errors collected. The JSON text itself is read by kc-json-parse.c and
 * written by kc-json-write.c.
 */
#include "kc-rpc.h"
#include "kc-error.h"

#include <string.h>

/* ------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------ */

void
kc_request_free (KcRequest *request)
{
  if (request == NULL)
    return;
  g_clear_pointer (&request->id, json_node_unref);
  g_free (request->method);
  g_clear_pointer (&request->params, json_object_unref);
  g_free (request);
}

static gboolean
id_is_valid (JsonNode *id)
{
  if (JSON_NODE_HOLDS_NULL (id))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (id))
    return FALSE;
  return json_node_get_value_type (id) == G_TYPE_INT64
         || json_node_get_value_type (id) == G_TYPE_STRING;
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
check_jsonrpc (JsonObject *object, GError **error)
{
  JsonNode *version = json_object_get_member (object, "jsonrpc");

  if (!is_string (version) || strcmp (json_node_get_string (version), "2.0") != 0)
    {
      g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                           "\"jsonrpc\" must be \"2.0\"");
      return FALSE;
    }
  return TRUE;
}

static void
depth_error (GError **error)
{
  g_set_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST, "Nesting deeper than %d levels",
               KC_JSON_MAX_DEPTH);
}

KcRequest *
kc_request_parse (const char *line, gsize len, JsonNode **id_out, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) id = NULL;
  g_autoptr (KcRequest) request = NULL;
  JsonObject *object;
  JsonNode *member;
  gboolean too_deep = FALSE;

  if (id_out != NULL)
    *id_out = NULL;

  root = kc_json_parse_text (line, len, KC_RPC_MAX_REQUEST_VALUES, &too_deep, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      if (JSON_NODE_HOLDS_ARRAY (root))
        g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                             "Batch requests are not supported");
      else
        g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                             "A request must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  /* The id is checked first so that every later error can be addressed to
   * the caller that is waiting for it. */
  member = json_object_get_member (object, "id");
  if (member != NULL)
    {
      if (!id_is_valid (member))
        {
          g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                               "\"id\" must be a string, an integer or null");
          return NULL;
        }
      id = json_node_copy (member);
      if (id_out != NULL)
        *id_out = json_node_copy (id);
    }

  if (too_deep)
    {
      depth_error (error);
      return NULL;
    }
  if (!check_jsonrpc (object, error))
    return NULL;

  member = json_object_get_member (object, "method");
  if (!is_string (member))
    {
      g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST,
                           member == NULL ? "\"method\" is missing"
                                          : "\"method\" must be a string");
      return NULL;
    }

  request = g_new0 (KcRequest, 1);
  request->method = g_strdup (json_node_get_string (member));

  member = json_object_get_member (object, "params");
  if (member == NULL)
    request->params = json_object_new ();
  else if (JSON_NODE_HOLDS_OBJECT (member))
    request->params = json_object_ref (json_node_get_object (member));
  else
    {
      g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS,
                           "\"params\" must be an object");
      return NULL;
    }

  request->id = g_steal_pointer (&id);
  if (id_out != NULL)
    g_clear_pointer (id_out, json_node_unref);
  return g_steal_pointer (&request);
}

/* ------------------------------------------------------------------------
 * Builders
 * ------------------------------------------------------------------------ */

static GString *
envelope_begin (void)
{
  GString *out = g_string_sized_new (256);

  g_string_append (out, "{\"jsonrpc\":\"2.0\"");
  return out;
}

static char *
envelope_end (GString *out, gsize *len)
{
  g_string_append (out, "}\n");
  if (len != NULL)
    *len = out->len;
  return g_string_free (out, FALSE);
}

static const char *
default_message (int code)
{
  switch (code)
    {
      case KC_ERROR_PARSE:
        return "Parse error";
      case KC_ERROR_INVALID_REQUEST:
        return "Invalid request";
      case KC_ERROR_METHOD_NOT_FOUND:
        return "Method not found";
      case KC_ERROR_INVALID_PARAMS:
        return "Invalid params";
      case KC_ERROR_INTERNAL:
        return "Internal error";
      case KC_ERROR_NOT_LOGGED_IN:
        return "Not logged in";
      case KC_ERROR_SESSION_EXPIRED:
        return "Session expired or revoked";
      case KC_ERROR_FORBIDDEN:
        return "Forbidden for this role";
      case KC_ERROR_NOT_FOUND:
        return "Not found";
      case KC_ERROR_CONFLICT:
        return "The record was changed by someone else";
      case KC_ERROR_BAD_STATUS:
        return "Not allowed in the record's current status";
      case KC_ERROR_RULE:
        return "Refused by a business rule";
      case KC_ERROR_TOO_MANY:
        return "Too many attempts";
      case KC_ERROR_SECOND_FACTOR:
        return "Second factor required";
      case KC_ERROR_UNAVAILABLE:
        return "Temporarily unavailable";
      default:
        return "Error";
    }
}

char *
kc_rpc_build_result (JsonNode *id, JsonNode *result, gsize *len)
{
  GString *out = envelope_begin ();

  g_string_append (out, ",\"id\":");
  kc_json_write_node (out, id, -1);
  g_string_append (out, ",\"result\":");
  kc_json_write_node (out, result, -1);
  return envelope_end (out, len);
}

char *
kc_rpc_build_error (JsonNode *id, int code, const char *message, JsonNode *data, gsize *len)
{
  GString *out = envelope_begin ();

  g_string_append (out, ",\"id\":");
  kc_json_write_node (out, id, -1);
  g_string_append (out, ",\"error\":{\"code\":");
  kc_json_write_int (out, code);
  g_string_append (out, ",\"message\":");
  kc_json_write_string (out, message != NULL ? message : default_message (code));
  if (data != NULL)
    {
      g_string_append (out, ",\"data\":");
      kc_json_write_node (out, data, -1);
    }
  g_string_append_c (out, '}');
  return envelope_end (out, len);
}

char *
kc_rpc_build_notification (const char *method, JsonNode *params, gsize *len)
{
  GString *out;

  g_return_val_if_fail (method != NULL, NULL);

  out = envelope_begin ();
  g_string_append (out, ",\"method\":");
  kc_json_write_string (out, method);
  if (params != NULL)
    {
      g_string_append (out, ",\"params\":");
      kc_json_write_node (out, params, -1);
    }
  return envelope_end (out, len);
}

char *
kc_rpc_build_request (gint64 id, const char *method, JsonNode *params, gsize *len)
{
  GString *out;

  g_return_val_if_fail (method != NULL, NULL);

  out = envelope_begin ();
  g_string_append (out, ",\"id\":");
  kc_json_write_int (out, id);
  g_string_append (out, ",\"method\":");
  kc_json_write_string (out, method);
  if (params != NULL)
    {
      g_string_append (out, ",\"params\":");
      kc_json_write_node (out, params, -1);
    }
  return envelope_end (out, len);
}

/* ------------------------------------------------------------------------
 * Responses
 * ------------------------------------------------------------------------ */

void
kc_response_free (KcResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->id, json_node_unref);
  g_clear_pointer (&response->result, json_node_unref);
  g_free (response->error_message);
  g_clear_pointer (&response->error_data, json_node_unref);
  g_free (response->method);
  g_clear_pointer (&response->params, json_node_unref);
  g_free (response);
}

static gboolean
invalid_response (GError **error, const char *message)
{
  g_set_error_literal (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST, message);
  return FALSE;
}

static gboolean
parse_error_member (KcResponse *response, JsonNode *node, GError **error)
{
  JsonObject *object;
  JsonNode *code;
  JsonNode *message;
  JsonNode *data;
  gint64 value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid_response (error, "\"error\" must be an object");
  object = json_node_get_object (node);

  code = json_object_get_member (object, "code");
  if (code == NULL || !JSON_NODE_HOLDS_VALUE (code)
      || json_node_get_value_type (code) != G_TYPE_INT64)
    return invalid_response (error, "\"error.code\" must be an integer");
  value = json_node_get_int (code);
  /* 0 is how KcResponse says "success", so no error may carry it. */
  if (value == 0 || value < G_MININT || value > G_MAXINT)
    return invalid_response (error, "\"error.code\" is out of range");

  message = json_object_get_member (object, "message");
  if (!is_string (message))
    return invalid_response (error, "\"error.message\" must be a string");

  response->error_code = (int)value;
  response->error_message = g_strdup (json_node_get_string (message));
  data = json_object_get_member (object, "data");
  if (data != NULL)
    response->error_data = json_node_copy (data);
  return TRUE;
}

KcResponse *
kc_response_parse (const char *line, gsize len, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (KcResponse) response = NULL;
  JsonObject *object;
  JsonNode *id;
  JsonNode *method;
  JsonNode *result;
  JsonNode *error_node;
  gboolean too_deep = FALSE;

  root = kc_json_parse_text (line, len, 0, &too_deep, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid_response (error, "A response must be a JSON object");
      return NULL;
    }
  if (too_deep)
    {
      depth_error (error);
      return NULL;
    }

  object = json_node_get_object (root);
  if (!check_jsonrpc (object, error))
    return NULL;

  response = g_new0 (KcResponse, 1);
  id = json_object_get_member (object, "id");
  method = json_object_get_member (object, "method");

  if (method != NULL)
    {
      JsonNode *params;

      /* The server never calls the client, so a method is always a
       * notification. */
      if (id != NULL)
        {
          invalid_response (error, "Requests from the server are not supported");
          return NULL;
        }
      if (!is_string (method))
        {
          invalid_response (error, "\"method\" must be a string");
          return NULL;
        }

      response->is_notification = TRUE;
      response->method = g_strdup (json_node_get_string (method));
      params = json_object_get_member (object, "params");
      if (params != NULL)
        response->params = json_node_copy (params);
      return g_steal_pointer (&response);
    }

  if (id == NULL)
    {
      invalid_response (error, "A response must have an \"id\"");
      return NULL;
    }
  if (!id_is_valid (id))
    {
      invalid_response (error, "\"id\" must be a string, an integer or null");
      return NULL;
    }
  response->id = json_node_copy (id);

  result = json_object_get_member (object, "result");
  error_node = json_object_get_member (object, "error");
  if ((result == NULL) == (error_node == NULL))
    {
      invalid_response (error, "A response must have exactly one of \"result\" and \"error\"");
      return NULL;
    }

  if (result != NULL)
    response->result = json_node_copy (result);
  else if (!parse_error_member (response, error_node, error))
    return NULL;

  return g_steal_pointer (&response);
}

/* ------------------------------------------------------------------------
 * Field errors
 * ------------------------------------------------------------------------ */

typedef struct
{
  char *field;
  char *message;
  char *rule;
  JsonObject *data;
} FieldError;

struct _KcFieldErrors
{
  GArray *items; /* of FieldError */
};

static void
field_error_clear (gpointer data)
{
  FieldError *item = data;

  g_free (item->field);
  g_free (item->message);
  g_free (item->rule);
  if (item->data != NULL)
    json_object_unref (item->data);
}

KcFieldErrors *
kc_field_errors_new (void)
{
  KcFieldErrors *errors = g_new0 (KcFieldErrors, 1);

  errors->items = g_array_new (FALSE, FALSE, sizeof (FieldError));
  g_array_set_clear_func (errors->items, field_error_clear);
  return errors;
}

void
kc_field_errors_free (KcFieldErrors *errors)
{
  if (errors == NULL)
    return;
  g_array_unref (errors->items);
  g_free (errors);
}

void
kc_field_errors_add (KcFieldErrors *errors, const char *field, const char *message)
{
  FieldError item;

  g_return_if_fail (errors != NULL);
  g_return_if_fail (field != NULL);
  g_return_if_fail (message != NULL);

  item.field = g_strdup (field);
  item.message = g_strdup (message);
  item.rule = NULL;
  item.data = NULL;
  g_array_append_val (errors->items, item);
}

void
kc_field_errors_add_rule (KcFieldErrors *errors, const char *field, const char *rule,
                          JsonObject *data, const char *message)
{
  FieldError item;

  g_return_if_fail (errors != NULL);
  g_return_if_fail (field != NULL);
  g_return_if_fail (message != NULL);

  item.field = g_strdup (field);
  item.message = g_strdup (message);
  item.rule = g_strdup (rule);
  item.data = data;
  g_array_append_val (errors->items, item);
}

guint
kc_field_errors_count (KcFieldErrors *errors)
{
  g_return_val_if_fail (errors != NULL, 0);

  return errors->items->len;
}

JsonNode *
kc_field_errors_to_data (KcFieldErrors *errors)
{
  JsonObject *data;
  JsonArray *fields;
  JsonNode *node;

  g_return_val_if_fail (errors != NULL, NULL);

  fields = json_array_sized_new (errors->items->len);
  for (guint i = 0; i < errors->items->len; i++)
    {
      const FieldError *item = &g_array_index (errors->items, FieldError, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "field", item->field);
      json_object_set_string_member (entry, "message", item->message);
      if (item->rule != NULL)
        json_object_set_string_member (entry, "rule", item->rule);
      if (item->data != NULL)
        json_object_set_object_member (entry, "data", json_object_ref (item->data));
      json_array_add_object_element (fields, entry);
    }

  data = json_object_new ();
  json_object_set_array_member (data, "fields", fields);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, data);
  return node;
}
