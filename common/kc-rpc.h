/*
 * kc-rpc.h — the JSON-RPC 2.0 envelope of PROTOCOL.md on json-glib.
 *
 * Parsing turns one line into a KcRequest (server side) or KcResponse
 * (client side); building returns one compact line ending in '\n'.
 * Pure functions: no I/O, no logging.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "kc-error.h"
#include "kc-json-text.h"

G_BEGIN_DECLS

typedef struct
{
  JsonNode *id;       /* (nullable): NULL for a notification (no "id" member);
                         otherwise a string, integer or null node */
  char *method;       /* never NULL */
  JsonObject *params; /* never NULL: an empty object when "params" is absent */
} KcRequest;

void kc_request_free (KcRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KcRequest, kc_request_free)

/*
 * Parses one line (without its '\n') into a request.
 *
 * Errors are in KC_PROTOCOL_ERROR: KC_ERROR_PARSE for invalid UTF-8 or JSON
 * (also embedded NUL bytes); KC_ERROR_INVALID_REQUEST for a batch (array), a
 * non-object, "jsonrpc" not "2.0", a missing or non-string "method", an "id"
 * that is not a string, integer or null; KC_ERROR_INVALID_PARAMS when
 * "params" is present but not an object. Nesting deeper than 64 levels is
 * KC_ERROR_INVALID_REQUEST.
 *
 * More than KC_RPC_MAX_REQUEST_VALUES values (every object, array, string,
 * number and literal counts) is KC_ERROR_INVALID_REQUEST, found as soon as
 * the limit is passed, so what a line costs is bounded however it is made.
 *
 * On error, when the line was a JSON object with a valid "id", *@id_out is
 * set to a copy of it (transfer full) so the error can be addressed to it;
 * otherwise to NULL. @id_out may be NULL.
 */
#define KC_RPC_MAX_REQUEST_VALUES 50000

/* The longest request line (bytes) any method may send; beyond it only
 * the methods that carry a file, with the file as one string member
 * (docs/protocol.md §1 "Line limits"). */
#define KC_RPC_PLAIN_LINE_MAX (1024 * 1024)

KcRequest *kc_request_parse (const char *line, gsize len, JsonNode **id_out, GError **error);

/* Builders. Each returns a compact JSON text followed by '\n' (transfer full),
 * its length in *@len when @len is not NULL. A NULL @id means JSON null. */
char *kc_rpc_build_result (JsonNode *id, JsonNode *result, gsize *len);
char *kc_rpc_build_error (JsonNode *id, int code, const char *message, JsonNode *data, gsize *len);
char *kc_rpc_build_notification (const char *method, JsonNode *params, gsize *len);
char *kc_rpc_build_request (gint64 id, const char *method, JsonNode *params, gsize *len);

/* Client side: a parsed response or notification. */
typedef struct
{
  gboolean is_notification; /* TRUE: "method"/"params" set, no id */
  JsonNode *id;             /* (nullable) */
  JsonNode *result;         /* (nullable): set on success */
  int error_code;           /* 0 on success */
  char *error_message;      /* (nullable) */
  JsonNode *error_data;     /* (nullable) */
  char *method;             /* (nullable): notifications */
  JsonNode *params;         /* (nullable): notifications */
} KcResponse;

void kc_response_free (KcResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KcResponse, kc_response_free)

/* Parses a server line; KC_ERROR_PARSE / KC_ERROR_INVALID_REQUEST on junk. */
KcResponse *kc_response_parse (const char *line, gsize len, GError **error);

/* Helpers to build the "data" of -32602 and 1022 errors. */
typedef struct _KcFieldErrors KcFieldErrors;
KcFieldErrors *kc_field_errors_new (void);
void kc_field_errors_free (KcFieldErrors *errors);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KcFieldErrors, kc_field_errors_free)
void kc_field_errors_add (KcFieldErrors *errors, const char *field, const char *message);
/* The same with a stable rule code and its data (amounts, limits) from
 * which a client words its own sentence; @data may be NULL (transfer full). */
void kc_field_errors_add_rule (KcFieldErrors *errors, const char *field, const char *rule,
                               JsonObject *data, const char *message);
guint kc_field_errors_count (KcFieldErrors *errors);
/* {"fields": [{"field":..., "message":..., "rule"?:..., "data"?:{...}}, ...]}
 * (transfer full) */
JsonNode *kc_field_errors_to_data (KcFieldErrors *errors);

G_END_DECLS
