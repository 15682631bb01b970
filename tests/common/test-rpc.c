/*
 * test-rpc.c — the JSON-RPC envelope: parsing, building, error codes.
 */
#include "kc-error.h"
#include "kc-rpc.h"

#include <math.h>
#include <string.h>

/* A literal with embedded NUL bytes, and its true length. */
#define WITH_NUL(text) text, sizeof (text) - 1

/* Compact JSON of a node, for comparisons (json-glib's own generator, so
 * the test does not trust the writer under test). */
static char *
to_json (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : NULL;
}

static JsonNode *
from_json (const char *text)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* ------------------------------------------------------------------------
 * Request parsing
 * ------------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *line;
  gsize len;          /* 0: strlen (line) */
  int code;           /* 0: success */
  const char *id;     /* expected id (request or id_out), compact JSON; NULL: none */
  const char *method; /* on success */
  const char *params; /* on success, compact JSON */
} RequestCase;

static const RequestCase request_cases[] = {
  /* valid */
  { "int-id", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"project.get\",\"params\":{\"id\":42}}", 0,
    0, "7", "project.get", "{\"id\":42}" },
  { "string-id", "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"m\",\"params\":{}}", 0, 0,
    "\"abc\"", "m", "{}" },
  { "null-id", "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\",\"params\":{}}", 0, 0, "null",
    "m", "{}" },
  { "negative-id", "{\"jsonrpc\":\"2.0\",\"id\":-5,\"method\":\"m\"}", 0, 0, "-5", "m", "{}" },
  { "max-id", "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"method\":\"m\"}", 0, 0,
    "9223372036854775807", "m", "{}" },
  { "min-id", "{\"jsonrpc\":\"2.0\",\"id\":-9223372036854775808,\"method\":\"m\"}", 0, 0,
    "-9223372036854775808", "m", "{}" },
  { "notification", "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"a\":[1,2]}}", 0, 0,
    NULL, "event", "{\"a\":[1,2]}" },
  { "no-params", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server.info\"}", 0, 0, "1",
    "server.info", "{}" },
  { "member-order", "{\"params\":{\"b\":true},\"method\":\"m\",\"id\":1,\"jsonrpc\":\"2.0\"}", 0, 0,
    "1", "m", "{\"b\":true}" },
  { "whitespace",
    " \t{ \"jsonrpc\" : \"2.0\" ,\r\"id\":1 , \"method\":\"m\" , \"params\" : { } } \t", 0, 0, "1",
    "m", "{}" },
  { "extra-members", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"x\":1}", 0, 0, "1", "m",
    "{}" },
  { "utf8",
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"t\":\"Kế hoạch khuyến công\"}}",
    0, 0, "1", "m", "{\"t\":\"Kế hoạch khuyến công\"}" },
  { "escapes",
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"t\":\"\\u1EBF\\u0041\\/"
    "\\\"\\\\\\b\\f\\n\\r\\t\"}}",
    0, 0, "1", "m", "{\"t\":\"ếA/\\\"\\\\\\b\\f\\n\\r\\t\"}" },
  { "surrogate-pair",
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"t\":\"\\ud83d\\ude00\"}}", 0, 0,
    "1", "m", "{\"t\":\"😀\"}" },
  { "values",
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":[true,false,null,0,-0,1.5,-"
    "2e3,1E-2,{}],\"b\":\"\"}}",
    0, 0, "1", "m", "{\"a\":[true,false,null,0,0,1.5,-2000.0,0.01,{}],\"b\":\"\"}" },
  { "empty-method", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}", 0, 0, "1", "", "{}" },

  /* not JSON: -32700, never an id */
  { "invalid-utf8", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\"}", 0, KC_ERROR_PARSE },
  { "invalid-utf8-outside", "{\"jsonrpc\":\"2.0\",\"id\":1,\xc3\xa9\"method\":\"m\"}", 0,
    KC_ERROR_PARSE },
  { "overlong-utf8", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xc0\xaf\"}", 0, KC_ERROR_PARSE },
  { "utf8-surrogate", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xed\xa0\x80\"}", 0,
    KC_ERROR_PARSE },
  { "utf8-beyond-max", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xf4\x90\x80\x80\"}", 0,
    KC_ERROR_PARSE },
  { "utf8-truncated", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xe1\xba\"}", 0, KC_ERROR_PARSE },
  { "utf8-cut-at-end", "\"\xe1\xba", 0, KC_ERROR_PARSE },
  { "truncated", "{\"jsonrpc\":\"2.0\",\"id\":1", 0, KC_ERROR_PARSE },
  { "truncated-string", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m", 0, KC_ERROR_PARSE },
  { "truncated-number", "{\"id\":-", 0, KC_ERROR_PARSE },
  { "truncated-escape", "{\"a\":\"\\", 0, KC_ERROR_PARSE },
  { "truncated-unicode", "{\"a\":\"\\u12", 0, KC_ERROR_PARSE },
  { "nul-inside-string", WITH_NUL ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\0b\"}"),
    KC_ERROR_PARSE },
  { "nul-outside", WITH_NUL ("{\"jsonrpc\":\"2.0\",\"id\":1,\0\"method\":\"m\"}"), KC_ERROR_PARSE },
  { "nul-after", WITH_NUL ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}\0"), KC_ERROR_PARSE },
  { "escaped-nul", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\\u0000b\"}", 0, KC_ERROR_PARSE },
  { "lone-high-surrogate", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\ud800\"}", 0,
    KC_ERROR_PARSE },
  { "lone-low-surrogate", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\udc00\"}", 0,
    KC_ERROR_PARSE },
  { "high-then-bmp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\ud800\\u0041\"}", 0,
    KC_ERROR_PARSE },
  { "bad-escape", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\x41\"}", 0, KC_ERROR_PARSE },
  { "bad-unicode-escape", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\u12g4\"}", 0,
    KC_ERROR_PARSE },
  { "raw-tab", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\tb\"}", 0, KC_ERROR_PARSE },
  { "raw-newline", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\nb\"}", 0, KC_ERROR_PARSE },
  { "empty", "", 0, KC_ERROR_PARSE },
  { "blank", "  \t ", 0, KC_ERROR_PARSE },
  { "garbage", "hello", 0, KC_ERROR_PARSE },
  { "trailing-garbage", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"} x", 0, KC_ERROR_PARSE },
  { "two-objects", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}{}", 0, KC_ERROR_PARSE },
  { "trailing-comma", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",}", 0, KC_ERROR_PARSE },
  { "trailing-comma-array", "{\"a\":[1,]}", 0, KC_ERROR_PARSE },
  { "missing-comma", "{\"a\":1 \"b\":2}", 0, KC_ERROR_PARSE },
  { "missing-colon", "{\"a\" 1}", 0, KC_ERROR_PARSE },
  { "missing-value", "{\"a\":}", 0, KC_ERROR_PARSE },
  { "mismatched-bracket", "{\"a\":[1}", 0, KC_ERROR_PARSE },
  { "mismatched-brace", "{\"a\":1]", 0, KC_ERROR_PARSE },
  { "unquoted-name", "{jsonrpc:\"2.0\"}", 0, KC_ERROR_PARSE },
  { "single-quotes", "{'jsonrpc':'2.0'}", 0, KC_ERROR_PARSE },
  { "comment", "/* c */{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}", 0, KC_ERROR_PARSE },
  { "hex", "{\"jsonrpc\":\"2.0\",\"id\":0x10,\"method\":\"m\"}", 0, KC_ERROR_PARSE },
  { "leading-zero", "{\"jsonrpc\":\"2.0\",\"id\":01,\"method\":\"m\"}", 0, KC_ERROR_PARSE },
  { "plus-sign", "{\"jsonrpc\":\"2.0\",\"id\":+1,\"method\":\"m\"}", 0, KC_ERROR_PARSE },
  { "bare-fraction", "{\"a\":.5}", 0, KC_ERROR_PARSE },
  { "dot-no-digits", "{\"a\":1.}", 0, KC_ERROR_PARSE },
  { "exponent-no-digits", "{\"a\":1e}", 0, KC_ERROR_PARSE },
  { "nan", "{\"a\":NaN}", 0, KC_ERROR_PARSE },
  { "infinity", "{\"a\":Infinity}", 0, KC_ERROR_PARSE },
  { "bad-literal", "{\"a\":tru}", 0, KC_ERROR_PARSE },
  { "literal-case", "{\"a\":True}", 0, KC_ERROR_PARSE },
  /* Out-of-range numbers are valid JSON: they parse (as doubles, which no
   * integer parameter accepts), so these objects fail only as requests. */
  { "int-overflow", "{\"a\":9223372036854775808}", 0, KC_ERROR_INVALID_REQUEST },
  { "int-underflow", "{\"a\":-9223372036854775809}", 0, KC_ERROR_INVALID_REQUEST },
  { "int-huge", "{\"a\":123456789012345678901234567890}", 0, KC_ERROR_INVALID_REQUEST },
  { "double-overflow", "{\"a\":1e999}", 0, KC_ERROR_INVALID_REQUEST },
  { "duplicate-member", "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"m\"}", 0,
    KC_ERROR_PARSE },
  { "duplicate-nested", "{\"a\":{\"b\":1,\"b\":1}}", 0, KC_ERROR_PARSE },

  /* JSON but not a request: -32600 */
  { "batch", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}]", 0, KC_ERROR_INVALID_REQUEST },
  { "empty-batch", "[]", 0, KC_ERROR_INVALID_REQUEST },
  { "number", "42", 0, KC_ERROR_INVALID_REQUEST },
  { "string", "\"m\"", 0, KC_ERROR_INVALID_REQUEST },
  { "null", "null", 0, KC_ERROR_INVALID_REQUEST },
  { "true", "true", 0, KC_ERROR_INVALID_REQUEST },
  { "empty-object", "{}", 0, KC_ERROR_INVALID_REQUEST },
  { "jsonrpc-1.0", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"m\"}", 0, KC_ERROR_INVALID_REQUEST,
    "1" },
  { "jsonrpc-missing", "{\"id\":1,\"method\":\"m\"}", 0, KC_ERROR_INVALID_REQUEST, "1" },
  { "jsonrpc-number", "{\"jsonrpc\":2.0,\"id\":\"x\",\"method\":\"m\"}", 0,
    KC_ERROR_INVALID_REQUEST, "\"x\"" },
  { "jsonrpc-padded", "{\"jsonrpc\":\"2.0 \",\"id\":null,\"method\":\"m\"}", 0,
    KC_ERROR_INVALID_REQUEST, "null" },
  { "method-missing", "{\"jsonrpc\":\"2.0\",\"id\":1}", 0, KC_ERROR_INVALID_REQUEST, "1" },
  { "method-number", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", 0, KC_ERROR_INVALID_REQUEST,
    "1" },
  { "method-null", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":null}", 0, KC_ERROR_INVALID_REQUEST,
    "1" },
  { "method-object", "{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"method\":{}}", 0,
    KC_ERROR_INVALID_REQUEST, "\"q\"" },
  { "method-missing-notification", "{\"jsonrpc\":\"2.0\"}", 0, KC_ERROR_INVALID_REQUEST },
  { "id-float", "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"m\"}", 0, KC_ERROR_INVALID_REQUEST },
  { "id-float-integral", "{\"jsonrpc\":\"2.0\",\"id\":1.0,\"method\":\"m\"}", 0,
    KC_ERROR_INVALID_REQUEST },
  { "id-exponent", "{\"jsonrpc\":\"2.0\",\"id\":1e2,\"method\":\"m\"}", 0,
    KC_ERROR_INVALID_REQUEST },
  { "id-object", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"m\"}", 0, KC_ERROR_INVALID_REQUEST },
  { "id-array", "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"m\"}", 0, KC_ERROR_INVALID_REQUEST },
  { "id-bool", "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"m\"}", 0, KC_ERROR_INVALID_REQUEST },
  { "id-bad-and-no-method", "{\"jsonrpc\":\"2.0\",\"id\":false}", 0, KC_ERROR_INVALID_REQUEST },

  /* a request with bad params: -32602, addressed to its id */
  { "params-array", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[1,2]}", 0,
    KC_ERROR_INVALID_PARAMS, "1" },
  { "params-string", "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"m\",\"params\":\"x\"}", 0,
    KC_ERROR_INVALID_PARAMS, "\"s\"" },
  { "params-null", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":null}", 0,
    KC_ERROR_INVALID_PARAMS, "1" },
  { "params-number", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":3}", 0,
    KC_ERROR_INVALID_PARAMS, "1" },
  { "params-notification", "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[]}", 0,
    KC_ERROR_INVALID_PARAMS },
};

static void
test_request (gconstpointer data)
{
  const RequestCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KcRequest) request = NULL;
  g_autoptr (JsonNode) id_out = NULL;
  gsize len = c->len ? c->len : strlen (c->line);

  request = kc_request_parse (c->line, len, &id_out, &error);

  if (c->code == 0)
    {
      g_autofree char *params = NULL;
      g_autofree char *id = NULL;
      g_autoptr (JsonNode) params_node = json_node_new (JSON_NODE_OBJECT);

      g_assert_no_error (error);
      g_assert_nonnull (request);
      g_assert_null (id_out);
      g_assert_cmpstr (request->method, ==, c->method);
      g_assert_nonnull (request->params);
      json_node_set_object (params_node, request->params);
      params = to_json (params_node);
      g_assert_cmpstr (params, ==, c->params);
      id = to_json (request->id);
      g_assert_cmpstr (id, ==, c->id);
    }
  else
    {
      g_autofree char *id = NULL;

      g_assert_null (request);
      g_assert_error (error, KC_PROTOCOL_ERROR, c->code);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
      id = to_json (id_out);
      g_assert_cmpstr (id, ==, c->id);
      g_test_message ("%s", error->message);
    }

  /* @id_out may be NULL */
  g_clear_error (&error);
  g_clear_pointer (&request, kc_request_free);
  request = kc_request_parse (c->line, len, NULL, &error);
  g_assert_true ((request != NULL) == (c->code == 0));

  /* and @error too */
  g_clear_error (&error);
  g_clear_pointer (&request, kc_request_free);
  request = kc_request_parse (c->line, len, NULL, NULL);
  g_assert_true ((request != NULL) == (c->code == 0));
}

/* Wrapped in @depth containers: 64 is accepted, 65 refused. */
static char *
nested_params (guint depth, const char *id_member)
{
  GString *line = g_string_new ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":");

  /* the request object itself is the first level */
  for (guint i = 1; i < depth; i++)
    g_string_append (line, i % 2 ? "{\"a\":" : "[");
  g_string_append (line, "1");
  for (guint i = depth - 1; i >= 1; i--)
    g_string_append (line, i % 2 ? "}" : "]");
  g_string_append_printf (line, ",%s}", id_member);
  return g_string_free (line, FALSE);
}

static void
test_depth_limit (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KcRequest) request = NULL;
  g_autoptr (JsonNode) id_out = NULL;
  g_autofree char *ok_line = nested_params (64, "\"id\":3");
  g_autofree char *deep_line = nested_params (65, "\"id\":3");
  g_autofree char *id = NULL;

  request = kc_request_parse (ok_line, strlen (ok_line), &id_out, &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_null (id_out);

  /* the id comes after the deep part and is still recovered */
  g_clear_pointer (&request, kc_request_free);
  request = kc_request_parse (deep_line, strlen (deep_line), &id_out, &error);
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST);
  g_assert_null (request);
  id = to_json (id_out);
  g_assert_cmpstr (id, ==, "3");
}

static char *
repeat (const char *unit, guint count)
{
  gsize n = strlen (unit);
  char *text = g_malloc (n * count + 1);

  for (guint i = 0; i < count; i++)
    memcpy (text + i * n, unit, n);
  text[n * count] = '\0';
  return text;
}

/* json-glib's parser recurses per level; ours must not, and must answer
 * quickly whatever the depth. */
static void
test_deep_nesting (void)
{
  const guint depth = 100000;
  g_autofree char *open = repeat ("[", depth);
  g_autofree char *close = repeat ("]", depth);
  g_autofree char *objects = repeat ("{\"a\":", depth);
  g_autofree char *braces = repeat ("}", depth);
  g_autofree char *balanced = g_strconcat (open, close, NULL);
  g_autofree char *in_params = g_strconcat (
      "{\"jsonrpc\":\"2.0\",\"id\":\"deep\",\"method\":\"m\",\"params\":{\"x\":", objects, "1",
      braces, "}}", NULL);
  g_autoptr (GTimer) timer = g_timer_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) id_out = NULL;
  g_autofree char *id = NULL;

  g_assert_null (kc_request_parse (open, strlen (open), &id_out, &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_PARSE);
  g_assert_null (id_out);
  g_clear_error (&error);

  g_assert_null (kc_request_parse (balanced, strlen (balanced), &id_out, &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST);
  g_assert_null (id_out);
  g_clear_error (&error);

  g_assert_null (kc_request_parse (in_params, strlen (in_params), &id_out, &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST);
  id = to_json (id_out);
  g_assert_cmpstr (id, ==, "\"deep\"");
  g_clear_error (&error);

  /* responses go through the same parser */
  g_assert_null (kc_response_parse (balanced, strlen (balanced), &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST);

  /* generous, for valgrind; a linear scan of 1 MB takes milliseconds */
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 10.0);
}

/* The reader's output is NUL-terminated, but the parser must not rely on
 * it: a number or literal at the very end of the buffer is bounded by len. */
static void
test_unterminated_buffer (void)
{
  const char text[] = "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"m\"}999";
  g_autoptr (GError) error = NULL;
  g_autoptr (KcRequest) request = NULL;
  g_autoptr (JsonNode) number = NULL;

  request = kc_request_parse (text, strlen (text) - 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (request->id), ==, 12);

  /* a top-level number cut by len: "12" of "12999" */
  g_assert_null (kc_request_parse ("12999", 2, NULL, &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST);
  g_clear_error (&error);
  g_assert_null (kc_request_parse ("1.5e3", 3, NULL, &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_REQUEST);
  g_clear_error (&error);
  g_assert_null (kc_request_parse ("truex", 3, NULL, &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (kc_request_parse (NULL, 0, NULL, &error));
  g_assert_error (error, KC_PROTOCOL_ERROR, KC_ERROR_PARSE);
}

static void
test_large_request (void)
{
  g_autoptr (GString) line
      = g_string_new ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"items\":[");
  g_autoptr (GError) error = NULL;
  g_autoptr (KcRequest) request = NULL;
  g_autofree char *long_string = repeat ("Kế hoạch ", 10000);
  JsonArray *items;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (line, "%s{\"n\":%u,\"s\":\"x\\ty\",\"f\":%u.25}", i ? "," : "", i, i);
  g_string_append_printf (line, "],\"long\":\"%s\"}}", long_string);

  request = kc_request_parse (line->str, line->len, NULL, &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (request->params, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 10000);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 9999), "n"),
                   ==, 9999);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (items, 3), "f"),
                     ==, 3.25);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "s"),
                   ==, "x\ty");
  g_assert_cmpstr (json_object_get_string_member (request->params, "long"), ==, long_string);
}

/* ------------------------------------------------------------------------
 * Builders
 * ------------------------------------------------------------------------ */

static void
assert_line (char *built, gsize len, const char *expected)
{
  g_assert_cmpstr (built, ==, expected);
  g_assert_cmpuint (len, ==, strlen (expected));
  /* one message, one line */
  g_assert_cmpint (built[len - 1], ==, '\n');
  g_assert_null (memchr (built, '\n', len - 1));
  g_assert_null (memchr (built, '\r', len));
  g_assert_true (g_utf8_validate (built, len, NULL));
  g_free (built);
}

static void
test_build_result (void)
{
  g_autoptr (JsonNode) id = from_json ("7");
  g_autoptr (JsonNode) string_id = from_json ("\"a-1\"");
  g_autoptr (JsonNode) null_id = from_json ("null");
  g_autoptr (JsonNode) result = from_json ("{\"a\":1}");
  g_autoptr (JsonNode) list
      = from_json ("{\"items\":[{\"id\":1,\"ok\":true},{\"id\":2,\"ok\":false}],"
                   "\"next_cursor\":null}");
  gsize len = 0;
  char *built;

  built = kc_rpc_build_result (id, result, &len);
  assert_line (built, len, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"a\":1}}\n");

  built = kc_rpc_build_result (string_id, list, &len);
  assert_line (built, len,
               "{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"result\":{\"items\":[{\"id\":1,\"ok\":true},"
               "{\"id\":2,\"ok\":false}],\"next_cursor\":null}}\n");

  built = kc_rpc_build_result (NULL, NULL, &len);
  assert_line (built, len, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":null}\n");

  built = kc_rpc_build_result (null_id, result, &len);
  assert_line (built, len, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"a\":1}}\n");

  /* @len may be NULL */
  built = kc_rpc_build_result (id, result, NULL);
  g_assert_cmpstr (built, ==, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"a\":1}}\n");
  g_free (built);
}

static void
test_build_error (void)
{
  g_autoptr (JsonNode) id = from_json ("7");
  g_autoptr (JsonNode) data = from_json ("{\"current_version\":3}");
  g_autoptr (KcFieldErrors) fields = kc_field_errors_new ();
  g_autoptr (JsonNode) field_data = NULL;
  gsize len = 0;
  char *built;

  built = kc_rpc_build_error (id, KC_ERROR_NOT_FOUND, "Project not found", NULL, &len);
  assert_line (built, len,
               "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":1004,\"message\":\"Project not "
               "found\"}}\n");

  built = kc_rpc_build_error (id, KC_ERROR_CONFLICT, "Stale version", data, &len);
  assert_line (
      built, len,
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":1009,\"message\":\"Stale version\","
      "\"data\":{\"current_version\":3}}}\n");

  built = kc_rpc_build_error (NULL, KC_ERROR_PARSE, NULL, NULL, &len);
  assert_line (built, len,
               "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse "
               "error\"}}\n");

  built = kc_rpc_build_error (NULL, KC_ERROR_INVALID_REQUEST, "Line longer than 16777216 bytes",
                              NULL, &len);
  assert_line (built, len,
               "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
               "\"message\":\"Line longer than 16777216 bytes\"}}\n");

  g_assert_cmpuint (kc_field_errors_count (fields), ==, 0);
  kc_field_errors_add (fields, "year", "must be between 2000 and 2100");
  kc_field_errors_add (fields, "title", "Tên \"dự án\" trống");
  g_assert_cmpuint (kc_field_errors_count (fields), ==, 2);
  field_data = kc_field_errors_to_data (fields);
  built = kc_rpc_build_error (id, KC_ERROR_INVALID_PARAMS, NULL, field_data, &len);
  assert_line (
      built, len,
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"Invalid params\","
      "\"data\":{\"fields\":[{\"field\":\"year\",\"message\":\"must be between 2000 and 2100\"},"
      "{\"field\":\"title\",\"message\":\"Tên \\\"dự án\\\" trống\"}]}}}\n");

  /* the data is a snapshot: adding later does not change it */
  kc_field_errors_add (fields, "org_id", "unknown");
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (field_data), "fields")),
                    ==, 2);

  /* every code has a default message */
  for (int code = -32700; code <= 1050; code++)
    if (kc_error_code_is_known (code))
      {
        g_autofree char *line = kc_rpc_build_error (NULL, code, NULL, NULL, &len);
        g_autoptr (KcResponse) response = kc_response_parse (line, len - 1, NULL);

        g_assert_nonnull (response);
        g_assert_cmpint (response->error_code, ==, code);
        g_assert_cmpstr (response->error_message, !=, "");
      }
}

static void
test_build_notification (void)
{
  g_autoptr (JsonNode) params
      = from_json ("{\"topic\":\"project\",\"id\":5,\"status\":\"approved\",\"version\":2,"
                   "\"at\":\"2026-11-27T09:38:26Z\"}");
  gsize len = 0;
  char *built;

  built = kc_rpc_build_notification ("event", params, &len);
  assert_line (
      built, len,
      "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"topic\":\"project\",\"id\":5,"
      "\"status\":\"approved\",\"version\":2,\"at\":\"2026-11-27T09:38:26Z\"}}\n");

  built = kc_rpc_build_notification ("ping", NULL, &len);
  assert_line (built, len, "{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}\n");
}

static void
test_build_request (void)
{
  g_autoptr (JsonNode) params = from_json ("{\"id\":42}");
  gsize len = 0;
  char *built;

  built = kc_rpc_build_request (7, "project.get", params, &len);
  assert_line (
      built, len,
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"project.get\",\"params\":{\"id\":42}}\n");

  built = kc_rpc_build_request (G_MININT64, "server.info", NULL, &len);
  assert_line (built, len,
               "{\"jsonrpc\":\"2.0\",\"id\":-9223372036854775808,\"method\":\"server.info\"}\n");

  built = kc_rpc_build_request (G_MAXINT64, "a.b", NULL, &len);
  assert_line (built, len, "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"method\":\"a.b\"}\n");
}

typedef struct
{
  const char *name;
  JsonNode *(*make) (void);
  const char *expected; /* the "result" as written */
} ValueCase;

static JsonNode *
make_strings (void)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "vi", "Kế hoạch khuyến công năm 2026");
  json_object_set_string_member (object, "ctl", "a\nb\rc\td\"e\\f\bg\fh\x01i\x1fj\x7fk");
  json_object_set_string_member (object, "slash", "a/b");
  json_object_set_string_member (object, "emoji", "😀");
  json_object_set_string_member (object, "sep", "\xe2\x80\xa8");
  json_object_set_string_member (object, "Tên", "");
  json_node_take_object (node, object);
  return node;
}

static JsonNode *
make_bad_utf8 (void)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  /* a bug upstream must not produce a line the peer cannot parse */
  json_node_set_string (node, "a\xff"
                              "b\xc3");
  return node;
}

static JsonNode *
make_doubles (void)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_array_add_double_element (array, 0.1);
  json_array_add_double_element (array, 2.0);
  json_array_add_double_element (array, -0.5);
  json_array_add_double_element (array, 1e300);
  json_array_add_double_element (array, 1.0 / 3.0);
  json_array_add_double_element (array, NAN);
  json_array_add_double_element (array, INFINITY);
  json_array_add_double_element (array, 12345678.0);
  json_node_take_array (node, array);
  return node;
}

static JsonNode *
make_order (void)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "z", 1);
  json_object_set_int_member (object, "a", -2);
  json_object_set_null_member (object, "m");
  json_object_set_boolean_member (object, "b", FALSE);
  json_object_set_array_member (object, "e", json_array_new ());
  json_object_set_object_member (object, "o", json_object_new ());
  json_object_set_int_member (object, "max", G_MAXINT64);
  json_object_set_int_member (object, "min", G_MININT64);
  json_node_take_object (node, object);
  return node;
}

static const ValueCase value_cases[] = {
  { "strings", make_strings,
    "{\"vi\":\"Kế hoạch khuyến công năm "
    "2026\",\"ctl\":\"a\\nb\\rc\\td\\\"e\\\\f\\bg\\fh\\u0001i\\u001fj\x7fk\","
    "\"slash\":\"a/b\",\"emoji\":\"😀\",\"sep\":\"\xe2\x80\xa8\",\"Tên\":\"\"}" },
  { "bad-utf8", make_bad_utf8,
    "\"a\xef\xbf\xbd"
    "b\xef\xbf\xbd\"" },
  { "doubles", make_doubles, "[0.1,2.0,-0.5,1e+300,0.3333333333333333,null,null,12345678.0]" },
  { "order", make_order,
    "{\"z\":1,\"a\":-2,\"m\":null,\"b\":false,\"e\":[],\"o\":{},\"max\":9223372036854775807,"
    "\"min\":-9223372036854775808}" },
};

static void
test_build_values (gconstpointer data)
{
  const ValueCase *c = data;
  g_autoptr (JsonNode) id = from_json ("1");
  g_autoptr (JsonNode) value = c->make ();
  g_autofree char *expected
      = g_strconcat ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":", c->expected, "}\n", NULL);
  g_autoptr (KcResponse) response = NULL;
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  char *built = kc_rpc_build_result (id, value, &len);

  /* what is written reads back */
  response = kc_response_parse (built, len - 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response->result);
  assert_line (built, len, expected);
}

/* Doubles are written in their shortest exact form: check that they
 * survive the wire bit for bit. */
static void
test_double_round_trip (void)
{
  const double values[]
      = { 1.0 / 3.0, 0.1, 0.2 + 0.1, 1e-300, 123456.789, -2.5e-8, 9007199254740993.0, 5e-324 };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr (JsonNode) value = json_node_init_double (json_node_alloc (), values[i]);
      g_autoptr (KcResponse) response = NULL;
      g_autoptr (GError) error = NULL;
      gsize len;
      g_autofree char *built = kc_rpc_build_result (NULL, value, &len);

      response = kc_response_parse (built, len, &error);
      g_assert_no_error (error);
      g_assert_cmpint (json_node_get_value_type (response->result), ==, G_TYPE_DOUBLE);
      g_assert_true (json_node_get_double (response->result) == values[i]);
    }
}

/* What a client builds, the server reads back unchanged. */
static void
test_request_round_trip (void)
{
  g_autoptr (JsonNode) params = make_strings ();
  g_autoptr (KcRequest) request = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (JsonNode) params_node = json_node_new (JSON_NODE_OBJECT);
  gsize len;
  g_autofree char *built = kc_rpc_build_request (99, "plan.create", params, &len);

  /* the frame reader strips the '\n' */
  request = kc_request_parse (built, len - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (request->id), ==, 99);
  g_assert_cmpstr (request->method, ==, "plan.create");
  json_node_set_object (params_node, request->params);
  before = to_json (params);
  after = to_json (params_node);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (json_object_get_string_member (request->params, "vi"), ==,
                   "Kế hoạch khuyến công năm 2026");
}

/* ------------------------------------------------------------------------
 * Response parsing
 * ------------------------------------------------------------------------ */

static void
test_response_result (void)
{
  const char *line = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"a\":1}}";
  g_autoptr (GError) error = NULL;
  g_autoptr (KcResponse) response = kc_response_parse (line, strlen (line), &error);
  g_autofree char *result = NULL;

  g_assert_no_error (error);
  g_assert_false (response->is_notification);
  g_assert_cmpint (json_node_get_int (response->id), ==, 7);
  result = to_json (response->result);
  g_assert_cmpstr (result, ==, "{\"a\":1}");
  g_assert_cmpint (response->error_code, ==, 0);
  g_assert_null (response->error_message);
  g_assert_null (response->error_data);
  g_assert_null (response->method);
  g_assert_null (response->params);
}

static void
test_response_null_result (void)
{
  const char *line = "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":null}";
  g_autoptr (GError) error = NULL;
  g_autoptr (KcResponse) response = kc_response_parse (line, strlen (line), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (response->id), ==, "x");
  g_assert_nonnull (response->result);
  g_assert_true (JSON_NODE_HOLDS_NULL (response->result));
  g_assert_cmpint (response->error_code, ==, 0);
}

static void
test_response_error (void)
{
  const char *line = "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":1009,\"message\":\"Stale\","
                     "\"data\":{\"current_version\":4}}}";
  const char *no_data
      = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}";
  g_autoptr (GError) error = NULL;
  g_autoptr (KcResponse) response = kc_response_parse (line, strlen (line), &error);
  g_autofree char *data = NULL;

  g_assert_no_error (error);
  g_assert_false (response->is_notification);
  g_assert_cmpint (json_node_get_int (response->id), ==, 3);
  g_assert_null (response->result);
  g_assert_cmpint (response->error_code, ==, KC_ERROR_CONFLICT);
  g_assert_cmpstr (response->error_message, ==, "Stale");
  data = to_json (response->error_data);
  g_assert_cmpstr (data, ==, "{\"current_version\":4}");

  g_clear_pointer (&response, kc_response_free);
  response = kc_response_parse (no_data, strlen (no_data), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (response->id));
  g_assert_cmpint (response->error_code, ==, KC_ERROR_PARSE);
  g_assert_null (response->error_data);
  g_assert_null (response->result);
}

static void
test_response_notification (void)
{
  const char *line
      = "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"topic\":\"plan\",\"id\":9}}";
  const char *bare = "{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}";
  g_autoptr (GError) error = NULL;
  g_autoptr (KcResponse) response = kc_response_parse (line, strlen (line), &error);
  g_autofree char *params = NULL;

  g_assert_no_error (error);
  g_assert_true (response->is_notification);
  g_assert_null (response->id);
  g_assert_null (response->result);
  g_assert_cmpint (response->error_code, ==, 0);
  g_assert_cmpstr (response->method, ==, "event");
  params = to_json (response->params);
  g_assert_cmpstr (params, ==, "{\"topic\":\"plan\",\"id\":9}");

  g_clear_pointer (&response, kc_response_free);
  response = kc_response_parse (bare, strlen (bare), &error);
  g_assert_no_error (error);
  g_assert_true (response->is_notification);
  g_assert_cmpstr (response->method, ==, "ping");
  g_assert_null (response->params);
}

typedef struct
{
  const char *name;
  const char *line;
  int code;
} BadResponseCase;

static const BadResponseCase bad_responses[] = {
  { "empty", "", KC_ERROR_PARSE },
  { "junk", "HTTP/1.1 400 Bad Request", KC_ERROR_PARSE },
  { "truncated", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{", KC_ERROR_PARSE },
  { "invalid-utf8", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"\xfe\"}", KC_ERROR_PARSE },
  { "array", "[]", KC_ERROR_INVALID_REQUEST },
  { "string", "\"ok\"", KC_ERROR_INVALID_REQUEST },
  { "no-jsonrpc", "{\"id\":1,\"result\":1}", KC_ERROR_INVALID_REQUEST },
  { "jsonrpc-1.0", "{\"jsonrpc\":\"1.0\",\"id\":1,\"result\":1}", KC_ERROR_INVALID_REQUEST },
  { "no-id", "{\"jsonrpc\":\"2.0\",\"result\":1}", KC_ERROR_INVALID_REQUEST },
  { "id-float", "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"result\":1}", KC_ERROR_INVALID_REQUEST },
  { "id-object", "{\"jsonrpc\":\"2.0\",\"id\":{},\"result\":1}", KC_ERROR_INVALID_REQUEST },
  { "neither", "{\"jsonrpc\":\"2.0\",\"id\":1}", KC_ERROR_INVALID_REQUEST },
  { "both", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"error\":{\"code\":1,\"message\":\"x\"}}",
    KC_ERROR_INVALID_REQUEST },
  { "error-not-object", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"bad\"}",
    KC_ERROR_INVALID_REQUEST },
  { "error-null", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":null}", KC_ERROR_INVALID_REQUEST },
  { "code-missing", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"message\":\"x\"}}",
    KC_ERROR_INVALID_REQUEST },
  { "code-string", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"1004\",\"message\":\"x\"}}",
    KC_ERROR_INVALID_REQUEST },
  { "code-float", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1004.5,\"message\":\"x\"}}",
    KC_ERROR_INVALID_REQUEST },
  { "code-zero", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":0,\"message\":\"x\"}}",
    KC_ERROR_INVALID_REQUEST },
  { "code-too-big",
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":4294967296,\"message\":\"x\"}}",
    KC_ERROR_INVALID_REQUEST },
  { "message-missing", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1004}}",
    KC_ERROR_INVALID_REQUEST },
  { "message-number", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1004,\"message\":4}}",
    KC_ERROR_INVALID_REQUEST },
  { "method-not-string", "{\"jsonrpc\":\"2.0\",\"method\":1}", KC_ERROR_INVALID_REQUEST },
  { "server-request", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}", KC_ERROR_INVALID_REQUEST },
};

static void
test_response_bad (gconstpointer data)
{
  const BadResponseCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KcResponse) response = kc_response_parse (c->line, strlen (c->line), &error);

  g_assert_null (response);
  g_assert_error (error, KC_PROTOCOL_ERROR, c->code);
  g_test_message ("%s", error->message);
}

/* ------------------------------------------------------------------------
 * Error codes
 * ------------------------------------------------------------------------ */

static void
test_error_codes (void)
{
  static const struct
  {
    int code;
    const char *name;
  } codes[] = {
    { KC_ERROR_PARSE, "parse_error" },
    { KC_ERROR_INVALID_REQUEST, "invalid_request" },
    { KC_ERROR_METHOD_NOT_FOUND, "method_not_found" },
    { KC_ERROR_INVALID_PARAMS, "invalid_params" },
    { KC_ERROR_INTERNAL, "internal_error" },
    { KC_ERROR_NOT_LOGGED_IN, "not_logged_in" },
    { KC_ERROR_SESSION_EXPIRED, "session_expired" },
    { KC_ERROR_FORBIDDEN, "forbidden" },
    { KC_ERROR_NOT_FOUND, "not_found" },
    { KC_ERROR_CONFLICT, "conflict" },
    { KC_ERROR_BAD_STATUS, "bad_status" },
    { KC_ERROR_RULE, "rule_violation" },
    { KC_ERROR_TOO_MANY, "too_many_attempts" },
    { KC_ERROR_SECOND_FACTOR, "second_factor_required" },
    { KC_ERROR_UNAVAILABLE, "unavailable" },
  };
  guint known = 0;

  /* the wire values are fixed by PROTOCOL.md */
  g_assert_cmpint (KC_ERROR_PARSE, ==, -32700);
  g_assert_cmpint (KC_ERROR_INVALID_PARAMS, ==, -32602);
  g_assert_cmpint (KC_ERROR_NOT_FOUND, ==, 1004);
  g_assert_cmpint (KC_ERROR_UNAVAILABLE, ==, 1050);

  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_assert_cmpstr (kc_error_code_name (codes[i].code), ==, codes[i].name);
      g_assert_true (kc_error_code_is_known (codes[i].code));
    }
  for (int code = -40000; code <= 40000; code++)
    known += kc_error_code_is_known (code);
  g_assert_cmpuint (known, ==, G_N_ELEMENTS (codes));

  g_assert_cmpstr (kc_error_code_name (0), ==, "unknown");
  g_assert_cmpstr (kc_error_code_name (1005), ==, "unknown");
  g_assert_cmpstr (kc_error_code_name (G_MININT), ==, "unknown");
  g_assert_false (kc_error_code_is_known (-32000));

  g_assert_cmpuint (KC_PROTOCOL_ERROR, !=, 0);
  g_assert_cmpuint (KC_PROTOCOL_ERROR, ==, kc_protocol_error_quark ());
  g_assert_cmpstr (g_quark_to_string (KC_PROTOCOL_ERROR), ==, "kc-protocol-error-quark");
}

static void
test_free_null (void)
{
  kc_request_free (NULL);
  kc_response_free (NULL);
  kc_field_errors_free (NULL);
}

static void
test_compact (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "{\"a\" : 1, \"b\" : [1, 2]}", "{\"a\":1,\"b\":[1,2]}" },
    { "{\"s\" : \"x y\\\" z\", \"t\":\"\\\\\"}", "{\"s\":\"x y\\\" z\",\"t\":\"\\\\\"}" },
    { "[\n 1,\r\n\t2 ]", "[1,2]" },
    { "\"Kế hoạch  khuyến công\"", "\"Kế hoạch  khuyến công\"" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup (cases[i].in);
      gsize len = kc_json_compact_inplace (text, strlen (text));

      g_assert_cmpstr (text, ==, cases[i].out);
      g_assert_cmpuint (len, ==, strlen (cases[i].out));
    }
}

/* The one writer: the same text for a value wherever it is written, doubles
 * keep their point, pretty output reads back to the same value. */
static void
test_json_writer (void)
{
  g_autoptr (JsonNode) node = json_from_string (
      "{\"a\":2.0,\"b\":[1,-9223372036854775808,\"x\\u0001\"],\"c\":{},\"d\":[],\"e\":null}", NULL);
  g_autofree char *compact = kc_json_to_string (node, FALSE);
  g_autofree char *pretty = kc_json_to_string (node, TRUE);
  g_autofree char *null_text = kc_json_to_string (NULL, FALSE);
  g_autoptr (JsonNode) back = json_from_string (pretty, NULL);
  g_autofree char *again = kc_json_to_string (back, FALSE);

  g_assert_cmpstr (compact, ==,
                   "{\"a\":2.0,\"b\":[1,-9223372036854775808,\"x\\u0001\"],\"c\":{},\"d\":[],"
                   "\"e\":null}");
  g_assert_cmpstr (pretty, ==,
                   "{\n  \"a\": 2.0,\n  \"b\": [\n    1,\n    -9223372036854775808,\n    "
                   "\"x\\u0001\"\n  ],\n  \"c\": {},\n  \"d\": [],\n  \"e\": null\n}");
  g_assert_cmpstr (again, ==, compact);
  g_assert_cmpstr (null_text, ==, "null");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (request_cases); i++)
    {
      const char *kind
          = request_cases[i].code == 0 ? "valid" : kc_error_code_name (request_cases[i].code);
      g_autofree char *path = g_strdup_printf ("/rpc/request/%s/%s", kind, request_cases[i].name);

      g_test_add_data_func (path, &request_cases[i], test_request);
    }
  g_test_add_func ("/rpc/request/depth-limit", test_depth_limit);
  g_test_add_func ("/rpc/request/deep-nesting", test_deep_nesting);
  g_test_add_func ("/rpc/request/unterminated-buffer", test_unterminated_buffer);
  g_test_add_func ("/rpc/request/large", test_large_request);

  g_test_add_func ("/rpc/build/result", test_build_result);
  g_test_add_func ("/rpc/build/error", test_build_error);
  g_test_add_func ("/rpc/build/notification", test_build_notification);
  g_test_add_func ("/rpc/build/request", test_build_request);
  for (gsize i = 0; i < G_N_ELEMENTS (value_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rpc/build/values/%s", value_cases[i].name);

      g_test_add_data_func (path, &value_cases[i], test_build_values);
    }
  g_test_add_func ("/rpc/build/double-round-trip", test_double_round_trip);
  g_test_add_func ("/rpc/build/request-round-trip", test_request_round_trip);

  g_test_add_func ("/rpc/response/result", test_response_result);
  g_test_add_func ("/rpc/response/null-result", test_response_null_result);
  g_test_add_func ("/rpc/response/error", test_response_error);
  g_test_add_func ("/rpc/response/notification", test_response_notification);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_responses); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rpc/response/bad/%s", bad_responses[i].name);

      g_test_add_data_func (path, &bad_responses[i], test_response_bad);
    }

  g_test_add_func ("/rpc/error-codes", test_error_codes);
  g_test_add_func ("/rpc/free-null", test_free_null);

  g_test_add_func ("/rpc/compact", test_compact);
  g_test_add_func ("/rpc/json-writer", test_json_writer);
  return g_test_run ();
}
