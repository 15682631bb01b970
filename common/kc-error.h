/*
 * kc-error.h — the protocol's error codes (PROTOCOL.md), shared by the
 * server, which sends them, and the clients, which translate them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  KC_ERROR_PARSE = -32700,            /* bad JSON or UTF-8 */
  KC_ERROR_INVALID_REQUEST = -32600,  /* not a JSON-RPC 2.0 object, batch, too large */
  KC_ERROR_METHOD_NOT_FOUND = -32601, /* unknown method */
  KC_ERROR_INVALID_PARAMS = -32602,   /* data: {fields: [{field, message}]} */
  KC_ERROR_INTERNAL = -32603,         /* data: {incident} */
  KC_ERROR_NOT_LOGGED_IN = 1001,
  KC_ERROR_SESSION_EXPIRED = 1002, /* expired or revoked */
  KC_ERROR_FORBIDDEN = 1003,       /* forbidden for this role */
  KC_ERROR_NOT_FOUND = 1004,       /* also outside the caller's scope */
  KC_ERROR_CONFLICT = 1009,        /* stale version; data: {current_version} */
  KC_ERROR_BAD_STATUS = 1010,      /* data: {status} */
  KC_ERROR_RULE = 1022,            /* data: {violations: [{field, rule, message}]} */
  KC_ERROR_TOO_MANY = 1029,        /* data: {retry_after} */
  KC_ERROR_SECOND_FACTOR = 1031,   /* data: {totp: true, reason} */
  KC_ERROR_UNAVAILABLE = 1050,     /* data: {retry_after} */
} KcErrorCode;

/* GError domain whose codes are KcErrorCode values: an error in this domain
 * can be sent on the wire as it is. */
#define KC_PROTOCOL_ERROR (kc_protocol_error_quark ())
GQuark kc_protocol_error_quark (void);

/* A short symbolic name ("not_found") for logs and tests; never NULL. */
const char *kc_error_code_name (int code);

/* TRUE if @code is one of KcErrorCode. */
gboolean kc_error_code_is_known (int code);

G_END_DECLS
