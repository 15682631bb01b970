/*
 * fuzz-rpc.c — the JSON-RPC envelope: kc-rpc's own JSON parser and writer.
 *
 * Every input is parsed as a request and as a response. What parses as a
 * request must survive the round trips the server puts it through: the
 * params written into a result line and read back by the client's parser
 * are the same values, the line is one line, and compacting the input
 * (what the server does to PostgreSQL's JSON) does not change its meaning.
 * A refused request's id, when one was recovered, must make a valid error.
 */
#include "kc-fuzz.h"
#include "kc-rpc.h"

#include <math.h>
#include <string.h>

/* Equal as JSON values; a non-finite double (1e400) is written as null. */
static gboolean
same_value (JsonNode *a, JsonNode *b)
{
  if (JSON_NODE_HOLDS_VALUE (a) && json_node_get_value_type (a) == G_TYPE_DOUBLE
      && !isfinite (json_node_get_double (a)) && JSON_NODE_HOLDS_NULL (b))
    return TRUE;
  if (json_node_get_node_type (a) != json_node_get_node_type (b))
    return FALSE;
  switch (json_node_get_node_type (a))
    {
      case JSON_NODE_NULL:
        return TRUE;
      case JSON_NODE_VALUE:
        if (json_node_get_value_type (a) != json_node_get_value_type (b))
          return FALSE;
        switch (json_node_get_value_type (a))
          {
            case G_TYPE_INT64:
              return json_node_get_int (a) == json_node_get_int (b);
            case G_TYPE_DOUBLE:
              return json_node_get_double (a) == json_node_get_double (b);
            case G_TYPE_BOOLEAN:
              return json_node_get_boolean (a) == json_node_get_boolean (b);
            case G_TYPE_STRING:
              return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
            default:
              return FALSE;
          }
      case JSON_NODE_ARRAY:
        {
          JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);
          guint n = json_array_get_length (x);
          if (n != json_array_get_length (y))
            return FALSE;
          for (guint i = 0; i < n; i++)
            if (!same_value (json_array_get_element (x, i), json_array_get_element (y, i)))
              return FALSE;
          return TRUE;
        }
      case JSON_NODE_OBJECT:
        {
          JsonObject *x = json_node_get_object (a), *y = json_node_get_object (b);
          JsonObjectIter iter;
          const char *name;
          JsonNode *member;
          if (json_object_get_size (x) != json_object_get_size (y))
            return FALSE;
          json_object_iter_init (&iter, x);
          while (json_object_iter_next (&iter, &name, &member))
            {
              JsonNode *other = json_object_get_member (y, name);
              if (other == NULL || !same_value (member, other))
                return FALSE;
            }
          return TRUE;
        }
      default:
        return FALSE;
    }
}

static guint
depth (JsonNode *node)
{
  guint deepest = 0;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          guint d = depth (json_array_get_element (a, i));
          deepest = MAX (deepest, d);
        }
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        {
          guint d = depth (member);
          deepest = MAX (deepest, d);
        }
      return deepest + 1;
    }
  return 0;
}

/* A line the server would send must be exactly one line. */
static void
check_one_line (const char *line, gsize len)
{
  g_assert (len > 0 && line[len - 1] == '\n');
  g_assert (memchr (line, '\n', len - 1) == NULL);
  g_assert (strlen (line) == len);
}

static void
check_request_round_trip (const guint8 *data, gsize size, KcRequest *request)
{
  g_autoptr (JsonNode) params = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *line = NULL;
  g_autoptr (KcResponse) response = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  json_node_set_object (params, request->params);

  /* The params come back to the client as a result one level deeper; a
   * request at the depth limit cannot, so only shallower ones count. */
  if (depth (params) < 60)
    {
      line = kc_rpc_build_result (request->id, params, &len);
      check_one_line (line, len);
      response = kc_response_parse (line, len - 1, &error);
      if (response == NULL)
        g_error ("a result built from a parsed request does not parse: %s", error->message);
      g_assert (!response->is_notification && response->error_code == 0);
      if (!same_value (params, response->result))
        g_error ("params changed on the way through a result line");
      if (request->id != NULL && !same_value (request->id, response->id))
        g_error ("the id changed on the way through a result line");
    }

  /* Compacting a valid JSON text keeps its meaning. */
  {
    g_autofree char *copy = g_malloc (size + 1);
    g_autoptr (KcRequest) again = NULL;
    g_autoptr (GError) error2 = NULL;
    gsize compact_len;

    memcpy (copy, data, size);
    copy[size] = '\0';
    compact_len = kc_json_compact_inplace (copy, size);
    g_assert (compact_len <= size);
    again = kc_request_parse (copy, compact_len, NULL, &error2);
    if (again == NULL)
      g_error ("a valid request no longer parses once compacted: %s", error2->message);
    g_assert (g_str_equal (again->method, request->method));
    {
      g_autoptr (JsonNode) p2 = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (p2, again->params);
      if (!same_value (params, p2))
        g_error ("compacting changed the params");
    }
  }
}

int
kc_fuzz_rpc (const guint8 *data, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) id = NULL;
  g_autoptr (KcRequest) request = NULL;

  request = kc_request_parse ((const char *)data, size, &id, &error);
  if (request != NULL)
    {
      g_assert (error == NULL && id == NULL && request->method != NULL && request->params != NULL);
      check_request_round_trip (data, size, request);
    }
  else
    {
      g_autofree char *line = NULL;
      g_autoptr (KcResponse) back = NULL;
      g_autoptr (GError) error2 = NULL;
      gsize len;

      g_assert (error != NULL && error->domain == KC_PROTOCOL_ERROR);
      /* What the server answers: the error, addressed to the id if any. */
      line = kc_rpc_build_error (id, error->code, error->message, NULL, &len);
      check_one_line (line, len);
      back = kc_response_parse (line, len - 1, &error2);
      if (back == NULL)
        g_error ("the error answer to a refused request does not parse: %s", error2->message);
      g_assert (back->error_code == error->code);
    }

  /* The client side reads the same bytes as a server line. */
  {
    g_autoptr (GError) error3 = NULL;
    g_autoptr (KcResponse) response = kc_response_parse ((const char *)data, size, &error3);
    g_assert ((response == NULL) == (error3 != NULL));
  }
  return 0;
}

#ifdef KC_FUZZ_LIBFUZZER
KC_FUZZ_ENTRY (kc_fuzz_rpc)
#endif
